import { describe, expect, it } from "vitest";
import { CallLedger, createMetric, MetricSpecError } from "../../src/optimize/index.js";
import type { LanguageModel, LmRequest } from "../../src/providers/index.js";

const judge = (answer: string): LanguageModel & { requests: LmRequest[] } => {
  const requests: LmRequest[] = [];
  return {
    provider: "sim",
    simulated: true,
    requests,
    complete: async (r) => {
      requests.push(r);
      return {
        text: answer,
        usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
        latencyMs: 1,
        model: r.model,
        costUsd: 0,
      };
    },
  };
};
const score = (spec: Parameters<typeof createMetric>[0], expected: string, predicted: string) =>
  createMetric(spec).score({ out: expected }, { out: predicted }, {});

describe("metrics", () => {
  it("exact_match normalises case, punctuation and articles", async () => {
    expect(await score("exact_match", "The Bug.", "bug")).toBe(1);
    expect(await score("exact_match", "bug", "a style")).toBe(0);
  });
  it("contains matches whole normalised words", async () => {
    expect(await score("contains", "security", "This is a Security issue!")).toBe(1);
    expect(await score("contains", "sec", "security")).toBe(0);
  });
  it("token_f1 is the default: 'the cat sat' vs 'cat sat down' → 0.8", async () => {
    expect(await score(undefined, "the cat sat", "cat sat down")).toBeCloseTo(0.8, 10);
  });
  it("json_field_match scores the share of named fields that agree", async () => {
    expect(
      await score(
        { type: "json_field_match", fields: ["a", "b"] },
        '{"a":1,"b":2}',
        'Here: {"a":1,"b":3}',
      ),
    ).toBe(0.5);
  });
  it("regex and json_valid are reference-free", async () => {
    expect(await score({ type: "regex", pattern: "^LGTM" }, "", "LGTM, ship it")).toBe(1);
    expect(await score("json_valid", "", "{not json")).toBe(0);
  });
  it("composite weighs its parts", async () => {
    expect(
      await score(
        {
          type: "composite",
          metrics: [
            { type: "exact_match", weight: 3 },
            { type: "regex", pattern: "x", weight: 1 },
          ],
        },
        "bug",
        "bug",
      ),
    ).toBe(0.75);
  });
  it("llm_judge maps 0-10 to 0-1 with its own model and a 0.7 pass mark", async () => {
    const lm = judge("7 - mostly right");
    const ledger = new CallLedger();
    const metric = createMetric(
      { type: "llm_judge", rubric: "Correct category?", model: "judge-1" },
      { lm, ledger },
    );
    expect(await metric.score({ out: "bug" }, { out: "bug!" }, { in: "x" })).toBe(0.7);
    expect(metric.passThreshold).toBe(0.7);
    expect(lm.requests[0]).toMatchObject({ model: "judge-1", purpose: "judge" });
    expect(ledger.usage.calls.judge).toBe(1);
    expect(() => createMetric({ type: "llm_judge" })).toThrow(MetricSpecError);
  });
});
