import { describe, expect, it } from "vitest";
import {
  computeCostUsd,
  DEFAULT_MODELS,
  MODEL_ALIASES,
  priceTable,
} from "../../src/providers/index.js";

const usage = (inputTokens: number, outputTokens: number, cachedInputTokens = 0) => ({
  inputTokens,
  outputTokens,
  cachedInputTokens,
});

describe("computeCostUsd", () => {
  it("prices input, cached input and output per million tokens", () => {
    expect(computeCostUsd("claude-haiku-4-5", usage(1_000_000, 1_000_000))).toBeCloseTo(6, 10);
    expect(computeCostUsd("gemini-2.5-flash", usage(1_000_000, 0, 1_000_000))).toBeCloseTo(
      0.03,
      10,
    );
    expect(
      computeCostUsd("claude-sonnet-4-5", { ...usage(100_000, 0), cacheWriteInputTokens: 100_000 }),
    ).toBeCloseTo(0.375, 10);
  });

  it("uses the long-context tier above its threshold", () => {
    expect(computeCostUsd("gemini-2.5-pro", usage(200_000, 1_000_000))).toBeCloseTo(0.25 + 10, 10);
    expect(computeCostUsd("gemini-2.5-pro", usage(200_001, 1_000_000))).toBeCloseTo(
      (200_001 * 2.5) / 1e6 + 15,
      10,
    );
  });

  it("finds dated snapshot ids under their base id", () => {
    expect(computeCostUsd("claude-sonnet-4-5-20250929", usage(100_000, 0))).toBeCloseTo(0.3, 10);
    expect(computeCostUsd("gpt-4o-2024-08-06", usage(1_000_000, 0))).toBeCloseTo(2.5, 10);
  });

  it("returns null and warns for an unknown model instead of guessing", () => {
    const warnings: string[] = [];
    expect(computeCostUsd("llama3.1:8b", usage(10, 10), (m) => warnings.push(m))).toBeNull();
    expect(warnings).toEqual([
      'no price for model "llama3.1:8b" in the price table; cost_usd is null for its calls',
    ]);
  });

  it("prices every alias target and default, and dates and sources every provider", () => {
    const ids = [
      ...Object.values(MODEL_ALIASES.claude),
      ...Object.values(MODEL_ALIASES.gemini),
      ...Object.values(DEFAULT_MODELS),
    ];
    for (const id of ids) expect(computeCostUsd(id, usage(1, 1)), id).not.toBeNull();
    for (const provider of Object.values(priceTable.providers)) {
      expect(provider.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(provider.source.length).toBeGreaterThan(0);
    }
  });
});
