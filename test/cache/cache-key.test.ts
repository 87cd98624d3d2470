import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cacheKey,
  canonicalJson,
  optimizationCacheKey,
  type OptimizationKeyInput,
} from "../../src/cache/index.js";

const base: OptimizationKeyInput = {
  signature: "code, context -> review",
  instructions: "Review the code for defects.",
  optimizer: "bootstrap_few_shot",
  optimizerParams: { max_bootstrapped_demos: 4, max_labeled_demos: 16 },
  seed: 0,
  trainsetHash: "a".repeat(64),
  metric: "exact_match",
  models: ["sim-1", "judge-1"],
};

const changes: Array<[string, Partial<OptimizationKeyInput>]> = [
  ["signature", { signature: "code -> review" }],
  ["instructions", { instructions: "Review the code." }],
  ["optimizer", { optimizer: "mipro" }],
  [
    "optimizer parameters",
    { optimizerParams: { max_bootstrapped_demos: 5, max_labeled_demos: 16 } },
  ],
  ["seed", { seed: 1 }],
  ["training data hash", { trainsetHash: "b".repeat(64) }],
  ["metric", { metric: { type: "regex", pattern: "ok" } }],
  ["model ids", { models: ["sim-2", "judge-1"] }],
];

describe("cache keys", () => {
  it.each(changes)("misses when the %s changes", (_name, change) => {
    expect(optimizationCacheKey({ ...base, ...change })).not.toBe(optimizationCacheKey(base));
  });

  it("hits regardless of object key order and model order", () => {
    const reordered: OptimizationKeyInput = {
      models: ["judge-1", "sim-1"],
      metric: "exact_match",
      trainsetHash: "a".repeat(64),
      seed: 0,
      optimizerParams: { max_labeled_demos: 16, max_bootstrapped_demos: 4 },
      optimizer: "bootstrap_few_shot",
      instructions: "Review the code for defects.",
      signature: "code, context -> review",
    };
    expect(optimizationCacheKey(reordered)).toBe(optimizationCacheKey(base));
  });

  it("is a sha256 hex digest that includes the format version", () => {
    expect(cacheKey({ a: 1 })).toMatch(/^[a-f0-9]{64}$/);
    expect(canonicalJson({ b: [1, { d: 2, c: 3 }], a: "x" })).toBe(
      '{"a":"x","b":[1,{"c":3,"d":2}]}',
    );
  });

  it("refuses parts with no faithful JSON form", () => {
    expect(() => cacheKey({ seed: Number.NaN })).toThrow(
      "cache key part $.parts.seed is not a finite number",
    );
    expect(() => cacheKey({ f: () => 1 })).toThrow(TypeError);
  });

  it("gives distinct JSON values distinct keys", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        fc.pre(canonicalJson(a) !== canonicalJson(b));
        expect(cacheKey({ a })).not.toBe(cacheKey({ a: b }));
      }),
      { numRuns: 200 },
    );
  });
});
