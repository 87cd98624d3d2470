import { describe, expect, it } from "vitest";
import {
  bootstrapMeanCi,
  exactMcNemarP,
  pairedBootstrapDeltaCi,
  percentile,
  signFlipPermutationP,
  summarizePairs,
  wilsonInterval,
  pairedTTest,
  studentTQuantile,
  studentTCdf,
  benjaminiHochberg,
  fcrLevel,
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
  it("reports delta, the paired t CI and p, and counts for a binary metric", () => {
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
      n: 40,
      df: 39,
      wins: 10,
      losses: 2,
      ties: 28,
      metric_kind: "binary",
      insufficient_data: false,
    });
    // scipy.stats.ttest_1samp(d, 0), d = 10 × 1, 2 × −1, 28 × 0: p = 0.018900, CI [0.034848, 0.365152].
    expect(summary.p_value).toBeCloseTo(0.0189005, 6);
    expect(summary.ci95[0]).toBeCloseTo(0.034848, 5);
    expect(summary.ci95[1]).toBeCloseTo(0.365152, 5);
  });
  it("flags insufficient data below the floor of 10 pairs (or another minPairs)", () => {
    expect(summarizePairs(pairs([[0, 1, 9]]), { seed: 0 }).insufficient_data).toBe(true);
    expect(summarizePairs(pairs([[0, 1, 10]]), { seed: 0 }).insufficient_data).toBe(false);
    expect(summarizePairs(pairs([[0, 1, 10]]), { seed: 0, minPairs: 20 }).insufficient_data).toBe(
      true,
    );
    expect(summarizePairs([], { seed: 0 })).toMatchObject({
      n: 0,
      p_value: null,
      insufficient_data: true,
    });
  });
  it("uses the same t test for continuous scores", () => {
    const summary = summarizePairs(
      [
        { traditional: 0.4, optimized: 0.9 },
        { traditional: 0.5, optimized: 0.6 },
        { traditional: 0.5, optimized: 0.2 },
      ],
      { seed: 0 },
    );
    expect(summary.metric_kind).toBe("continuous");
    // scipy.stats.ttest_1samp([0.5, 0.1, -0.3], 0): p = 0.707230 (sample variance above the floor).
    expect(summary.p_value).toBeCloseTo(0.70723, 5);
  });
});

describe("pairedTTest: one rule for CI, p and verdict", () => {
  it("excludes 0 from the 95% CI exactly when p < 0.05, on many random samples", () => {
    let seed = 7;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 3) - 1;
    for (let trial = 0; trial < 300; trial++) {
      const d = Array.from(
        { length: 12 + (trial % 30) },
        () => next() + (trial % 4 === 0 ? 0.3 : 0),
      );
      const t = pairedTTest(d);
      expect(t.ci[0] > 0 || t.ci[1] < 0).toBe(t.p_value < 0.05);
    }
  });
  it("matches R for a small sample and handles degenerate inputs", () => {
    // scipy.stats.ttest_1samp([1,0,1,1,0,1,-1,1,0,1], 0): p = 0.05218, CI [-0.005834, 1.005834] (clipped at 1).
    const t = pairedTTest([1, 0, 1, 1, 0, 1, -1, 1, 0, 1]);
    expect(t.p_value).toBeCloseTo(0.05218, 4);
    expect(t.ci[0]).toBeCloseTo(-0.005834, 5);
    expect(t.ci[1]).toBe(1);
    expect(pairedTTest([1])).toMatchObject({ ci: [-1, 1], p_value: 1 });
  });
  it("gives identical differences the variance floor 1/(6n), never a point interval", () => {
    // All +0.15 over 22 pairs: se = √(1/6)/22 = 0.018557; scipy.stats.t.ppf(0.975, 21) · se = 0.038591.
    const same = pairedTTest(Array.from({ length: 22 }, () => 0.15));
    expect(same.se).toBeCloseTo(Math.sqrt(1 / 6) / 22, 12);
    expect(same.ci[0]).toBeCloseTo(0.111409, 5);
    expect(same.ci[1]).toBeCloseTo(0.188591, 5);
    expect(same.p_value).toBeCloseTo(6.972e-8, 10);
    // Three identical +0.5: the floor leaves the verdict open (scipy: p = 0.066743).
    const few = pairedTTest([0.5, 0.5, 0.5]);
    expect(few.ci[0]).toBeLessThan(0);
    expect(few.p_value).toBeCloseTo(0.066743, 5);
    // All ties: Δ 0 inside an interval of half-width 0.0386, p = 1.
    const ties = pairedTTest(Array.from({ length: 22 }, () => 0));
    expect(ties.ci[0]).toBeCloseTo(-0.038591, 5);
    expect(ties.p_value).toBe(1);
    // The floor does not bind on spread-out differences: one discordant pair in 48 has s² = 1/48 > 1/288.
    const one = pairedTTest([1, ...Array.from({ length: 47 }, () => 0)]);
    expect(one.se).toBeCloseTo(Math.sqrt(1 / 48 / 48), 12);
  });
  it("computes Student's t quantiles: t(0.975, 10) = 2.228139, t(0.975, 1) = 12.7062", () => {
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 5);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(studentTCdf(2.228139, 10)).toBeCloseTo(0.975, 6);
  });
});

describe("Benjamini–Hochberg", () => {
  it("gives R's p.adjust(p, 'BH') q-values in the input order", () => {
    expect(benjaminiHochberg([0.01, 0.04, 0.03, 0.2])).toEqual([
      0.04,
      expect.closeTo(0.053333, 5),
      expect.closeTo(0.053333, 5),
      0.2,
    ]);
    expect(benjaminiHochberg([])).toEqual([]);
  });
  it("adjusts the interval level so that a CI excludes 0 exactly when q ≤ 0.05", () => {
    // 1 of 4 rejected: level 1 − 1·0.05/4; none rejected: the same (R counted as 1).
    expect(fcrLevel([0.04, 0.06, 0.06, 0.2])).toBeCloseTo(0.9875, 10);
    expect(fcrLevel([0.5, 0.6])).toBeCloseTo(0.975, 10);
    expect(fcrLevel([0.01, 0.02])).toBeCloseTo(0.95, 10);
    expect(fcrLevel([0.01])).toBeCloseTo(0.95, 10);
  });
});
