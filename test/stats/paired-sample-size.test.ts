import { describe, expect, it } from "vitest";
import {
  normalQuantile,
  pairedSampleSize,
  pairedTTest,
  seededRandom,
  studentTQuantile,
} from "../../src/stats/index.js";

describe("normalQuantile", () => {
  it("matches the standard normal quantiles to 1e-8", () => {
    // scipy.stats.norm.ppf
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621234, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 8);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("pairedSampleSize: pairs a two-sided paired t test needs", () => {
  // Smallest n whose exact (noncentral t) power reaches 0.8 at α 0.05 two-sided, computed with
  // scipy.stats.nct (the figures G*Power gives for "means: difference from constant, one sample /
  // matched pairs"): d_z = δ/s → n (achieved power).
  const exact: Array<[number, number]> = [
    [0.1, 787], // 0.8001
    [0.2, 199], // 0.8017
    [0.3, 90], // 0.8038
    [0.4, 52], // 0.8078
    [0.5, 34], // 0.8078
    [0.8, 15], // 0.8213
    [1.0, 10], // 0.8031
    [1.5, 6], // 0.8325
  ];
  it.each(exact)("δ/s = %s → %s pairs (the exact noncentral-t answer)", (dz, n) => {
    const size = pairedSampleSize({ delta: dz * 0.3, sd: 0.3 })!;
    expect(size.pairs).toBe(n);
    expect(size.tooSmall).toBe(false);
  });

  it("converges in a few iterations from the normal start, which alone undershoots", () => {
    // Normal approximation for δ/s = 0.5: ((1.95996 + 0.84162) / 0.5)² = 31.4 → 32 pairs, 2 short.
    expect(Math.ceil(((normalQuantile(0.975) + normalQuantile(0.8)) / 0.5) ** 2)).toBe(32);
    for (let dz = 0.05; dz <= 3; dz += 0.05) {
      const size = pairedSampleSize({ delta: dz, sd: 1 })!;
      expect(size.iterations).toBeLessThanOrEqual(6);
      // A fixed point of the t-corrected formula, and the smallest one.
      const f = (n: number) =>
        ((studentTQuantile(0.975, n - 1) + studentTQuantile(0.8, n - 1)) / dz) ** 2;
      expect(size.pairs).toBeGreaterThanOrEqual(f(size.pairs));
      if (size.pairs > 2) expect(size.pairs - 1).toBeLessThan(f(size.pairs - 1));
    }
  });

  it("is symmetric in the sign of δ and follows α and power", () => {
    expect(pairedSampleSize({ delta: -0.5, sd: 1 })!.pairs).toBe(34);
    // Away from the defaults the t-corrected formula stays within one pair of the exact answer
    // (scipy.stats.nct), as an approximation that ignores the far tail and the noncentral t's skew:
    // d_z 0.5 at α 0.01: 50 (exact 51; power at 50 is 0.7993); power 0.9 at α 0.05: 45 (exact 44).
    expect(pairedSampleSize({ delta: 0.5, sd: 1, alpha: 0.01 })!.pairs).toBe(50);
    expect(pairedSampleSize({ delta: 0.5, sd: 1, power: 0.9 })!.pairs).toBe(45);
  });

  it("cannot estimate without spread, and calls a zero or tiny effect too small to chase", () => {
    expect(pairedSampleSize({ delta: 0.2, sd: 0 })).toBeNull();
    expect(pairedSampleSize({ delta: 0.2, sd: Number.POSITIVE_INFINITY })).toBeNull();
    expect(pairedSampleSize({ delta: 0, sd: 0.5 })).toEqual({
      pairs: Number.POSITIVE_INFINITY,
      tooSmall: true,
      iterations: 0,
    });
    // 787 pairs is more than 10× the 40 measured: too small to chase.
    expect(pairedSampleSize({ delta: 0.1, sd: 1, currentPairs: 40 })).toMatchObject({
      pairs: 787,
      tooSmall: true,
    });
    expect(pairedSampleSize({ delta: 0.1, sd: 1, currentPairs: 100 })!.tooSmall).toBe(false);
    // A minute effect: the normal formula ((1.95996 + 0.84162) · 0.5 / 1e-6)² ≈ 1.962e12, no overflow.
    const tiny = pairedSampleSize({ delta: 1e-6, sd: 0.5 })!;
    expect(tiny.pairs / 1.96222e12).toBeCloseTo(1, 4);
    expect(pairedSampleSize({ delta: 1e-300, sd: 0.5 })!.pairs).toBe(Number.POSITIVE_INFINITY);
    // Over 2,000 pairs whatever was measured.
    expect(pairedSampleSize({ delta: 0.05, sd: 1, currentPairs: 1000 })).toMatchObject({
      pairs: 3142,
      tooSmall: true,
    });
  });

  it("gives 80% power on data of the size it recommends (seeded simulation, normal differences)", () => {
    const random = seededRandom(11);
    const normal = () => {
      const u = 1 - random();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    };
    const n = pairedSampleSize({ delta: 0.25, sd: 0.5 })!.pairs;
    expect(n).toBe(34);
    let rejected = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const d = Array.from({ length: n }, () => 0.25 + 0.5 * normal());
      if (pairedTTest(d).p_value < 0.05) rejected++;
    }
    // Exact power 0.8078; ±3 binomial standard errors of 2,000 trials is ±0.027.
    expect(rejected / trials).toBeGreaterThan(0.78);
    expect(rejected / trials).toBeLessThan(0.84);
  });
});
