import { describe, expect, it } from "vitest";
import {
  bootstrapMeanCi,
  exactMcNemarP,
  pairedBootstrapDeltaCi,
  percentile,
  signFlipPermutationP,
  summarizePairs,
  wilsonInterval,
  type Pair,
} from "../../src/stats/index.js";

const pairs = (spec: Array<[number, number, number]>): Pair[] =>
  spec.flatMap(([traditional, optimized, count]) =>
    Array.from({ length: count }, () => ({ traditional, optimized })),
  );

describe("wilsonInterval", () => {
  it("gives [0.4902, 0.9433] for 8 of 10", () => {
    const [low, high] = wilsonInterval(8, 10);
    expect(low).toBeCloseTo(0.4902, 4);
    expect(high).toBeCloseTo(0.9433, 4);
  });
  it("stays inside [0, 1] at 0 of 10: [0, 0.2775]", () => {
    const [low, high] = wilsonInterval(0, 10);
    expect(low).toBe(0);
    expect(high).toBeCloseTo(0.2775, 4);
  });
  it("is [0, 1] with no observations and rejects impossible counts", () => {
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
  });
});

describe("exactMcNemarP", () => {
  it("is 0.021484375 for b=1, c=9 (2 · 11/1024)", () => {
    expect(exactMcNemarP(1, 9)).toBe(0.021484375);
  });
  it("is 0.03125 for b=0, c=6 and symmetric in b, c", () => {
    expect(exactMcNemarP(0, 6)).toBe(0.03125);
    expect(exactMcNemarP(6, 0)).toBe(0.03125);
  });
  it("caps at 1 for balanced or no discordant pairs", () => {
    expect(exactMcNemarP(5, 5)).toBe(1);
    expect(exactMcNemarP(0, 0)).toBe(1);
  });
  it("stays finite for large counts", () => {
    expect(exactMcNemarP(400, 600)).toBeGreaterThan(0);
    expect(exactMcNemarP(400, 600)).toBeLessThan(1e-8);
  });
});

describe("percentile", () => {
  it("interpolates linearly (type 7)", () => {
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe("signFlipPermutationP", () => {
  it("is exact for few differences: [1,1,1] and [1,2,3] give 2/8", () => {
    expect(signFlipPermutationP([1, 1, 1], { seed: 1 })).toBe(0.25);
    expect(signFlipPermutationP([1, 2, 3, 0], { seed: 1 })).toBe(0.25);
  });
  it("is 1 when nothing differs or the differences cancel", () => {
    expect(signFlipPermutationP([0, 0], { seed: 1 })).toBe(1);
    expect(signFlipPermutationP([0.5, -0.5], { seed: 1 })).toBe(1);
  });
  it("is seeded and never 0 in the Monte Carlo variant", () => {
    const diffs = Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? -0.1 : 0.3));
    const p = signFlipPermutationP(diffs, { seed: 7 });
    expect(p).toBe(signFlipPermutationP(diffs, { seed: 7 }));
    expect(p).toBeCloseTo(1 / 10001, 8);
  });
});

describe("bootstrap intervals", () => {
  it("are reproducible from the seed and bracket the mean", () => {
    const values = [0, 1, 1, 0, 1, 1, 1, 0, 1, 1];
    const ci = bootstrapMeanCi(values, { seed: 3 });
    expect(ci).toEqual(bootstrapMeanCi(values, { seed: 3 }));
    expect(ci[0]).toBeLessThan(0.7);
    expect(ci[1]).toBeGreaterThan(0.7);
    expect(ci[0]).toBeGreaterThanOrEqual(0);
    expect(ci[1]).toBeLessThanOrEqual(1);
  });
  it("collapse to the delta when every pair has the same difference", () => {
    expect(pairedBootstrapDeltaCi(pairs([[0.2, 0.5, 12]]), { seed: 1 })).toEqual(
      [0.3, 0.3].map((v) => expect.closeTo(v, 12)),
    );
  });
});

describe("summarizePairs", () => {
  it("reports delta, McNemar p and counts for a binary metric", () => {
    const summary = summarizePairs(
      pairs([
        [0, 1, 10],
        [1, 0, 2],
        [1, 1, 20],
        [0, 0, 8],
      ]),
      { seed: 0 },
    );
    expect(summary).toMatchObject({
      delta: 0.2,
      p_value: 158 / 4096,
      n: 40,
      wins: 10,
      losses: 2,
      ties: 28,
      metric_kind: "binary",
      insufficient_data: false,
    });
    expect(summary.ci95[0]).toBeGreaterThan(0);
    expect(summary.ci95[1]).toBeGreaterThan(0.2);
  });
  it("flags insufficient data below 30 pairs or 10 disagreements", () => {
    expect(
      summarizePairs(
        pairs([
          [0, 1, 12],
          [1, 1, 10],
        ]),
        { seed: 0 },
      ).insufficient_data,
    ).toBe(true);
    expect(
      summarizePairs(
        pairs([
          [0, 1, 9],
          [1, 1, 40],
        ]),
        { seed: 0 },
      ).insufficient_data,
    ).toBe(true);
    expect(summarizePairs([], { seed: 0 })).toMatchObject({
      n: 0,
      p_value: null,
      insufficient_data: true,
    });
  });
  it("uses the permutation test for continuous scores", () => {
    const summary = summarizePairs(pairs([[0.5, 0.75, 3]]), { seed: 0 });
    expect(summary.metric_kind).toBe("continuous");
    expect(summary.p_value).toBe(0.25);
  });
});
