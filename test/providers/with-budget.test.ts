import { describe, expect, it } from "vitest";
import {
  createBudget,
  estimateCallCost,
  ProviderError,
  withBudget,
  type LanguageModel,
  type LmRequest,
} from "../../src/providers/index.js";

const request: LmRequest = { model: "m", messages: [{ role: "user", content: "x" }], maxTokens: 8 };

function priced(cost: number | null): LanguageModel & { calls: number } {
  const lm = {
    provider: "openai" as const,
    simulated: false,
    calls: 0,
    async complete() {
      lm.calls++;
      return {
        text: "ok",
        usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
        latencyMs: 1,
        model: "m",
        costUsd: cost,
      };
    },
  };
  return lm;
}

describe("withBudget", () => {
  it("adds each cost and refuses before sending once the spend reaches the limit", async () => {
    const inner = priced(0.4);
    const budget = createBudget(1);
    const lm = withBudget(inner, budget);
    await lm.complete(request);
    await lm.complete(request);
    await lm.complete(request);
    expect(budget.spentUsd).toBeCloseTo(1.2, 10);
    const error = await lm.complete(request).catch((e: unknown) => e);
    expect(inner.calls).toBe(3);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      code: "budget_exhausted",
      message: "budget exhausted: spent $1.2000 of $1.00; raise --budget-usd to continue",
    });
  });

  it("counts calls of unpriced models apart instead of guessing their cost", async () => {
    const budget = createBudget(1);
    await withBudget(priced(null), budget).complete(request);
    expect(budget).toEqual({ limitUsd: 1, spentUsd: 0, reservedUsd: 0, unpricedCalls: 1 });
  });

  it("reserves each call's worst case, so concurrent calls never carry the spend past the limit", async () => {
    const haiku: LmRequest = {
      model: "claude-haiku-4-5",
      messages: [{ role: "user", content: "Hi" }],
      maxTokens: 100,
    };
    // 5 prompt tokens × $1 + 100 output tokens × $5, per million.
    expect(estimateCallCost(haiku)).toEqual({
      inputTokens: 5,
      outputTokens: 100,
      costUsd: 0.000505,
    });
    const inner = priced(0.0004);
    const budget = createBudget(0.0012);
    const lm = withBudget(inner, budget);
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => lm.complete(haiku)));
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "rejected",
    ]);
    expect(inner.calls).toBe(2);
    expect(budget.spentUsd).toBeCloseTo(0.0008, 10);
    expect(budget.reservedUsd).toBe(0);
    // Both back: $0.0008 spent + $0.000505 passes $0.0012, but a 50-token call ($0.000255) fits.
    await expect(lm.complete(haiku)).rejects.toMatchObject({ code: "budget_exhausted" });
    await expect(lm.complete({ ...haiku, maxTokens: 50 })).resolves.toMatchObject({ text: "ok" });
  });
});
