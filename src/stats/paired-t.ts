import { studentTCdf, studentTQuantile } from "./student-t.js";

/** A paired t test of mean(d) = 0 and its test-inverted confidence interval. */
export interface PairedTTest {
  /** mean of the differences. */
  delta: number;
  /** Standard error of the mean difference (sd / √n). */
  se: number;
  /** Degrees of freedom, n − 1. */
  df: number;
  n: number;
  /** Two-sided interval at `level`, clipped to `bounds`. */
  ci: [number, number];
  /** Two-sided p of H0: mean difference = 0. */
  p_value: number;
}

/**
 * The paired t test (Student 1908) on per-example differences, with the interval that inverts it:
 * `delta ± t_{(1+level)/2, n−1} · se`. The p-value and the interval come from the same statistic, so
 * `p < 1 − level` exactly when the interval excludes 0: a verdict read from either agrees with the
 * other. Why t rather than the bootstrap or a permutation test: its interval is the exact inversion
 * of its test (a percentile bootstrap interval has no p-value of its own, and a Monte Carlo
 * permutation interval needs a search); for bounded per-example differences the CLT makes it
 * close to nominal from about 10 pairs, which `bench/verdict-calibration.ts` checks by simulation
 * (docs/PERFORMANCE.md). Degenerate cases: n < 2 gives the whole `bounds` and p = 1. The variance
 * has a floor (`varianceFloor`), so identical differences give an honest interval, not a point.
 * See https://en.wikipedia.org/wiki/Student%27s_t-test#Dependent_t-test_for_paired_samples
 */
export function pairedTTest(
  differences: readonly number[],
  options: { level?: number; bounds?: [number, number] } = {},
): PairedTTest {
  const level = options.level ?? 0.95;
  const [low, high] = options.bounds ?? [-1, 1];
  const n = differences.length;
  const delta = n === 0 ? 0 : differences.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { delta, se: Number.POSITIVE_INFINITY, df: 0, n, ci: [low, high], p_value: 1 };
  const sample = differences.reduce((s, d) => s + (d - delta) ** 2, 0) / (n - 1);
  const variance = Math.max(sample, varianceFloor(n, [low, high]));
  const se = Math.sqrt(variance / n);
  const df = n - 1;
  return {
    delta,
    se,
    df,
    n,
    ci: tInterval(delta, se, df, level, [low, high]),
    p_value: tPValue(delta, se, df),
  };
}

/**
 * The least variance of the differences the t test uses: σ₀² / n with σ₀² = (high − low)² / 24.
 * Why: n identical differences (every example +0.15, or every pair won) have sample variance 0 and
 * a point interval, a claim of certainty no finite sample supports. The floor is one pseudo-observation
 * (ν₀ = 1) of a prior variance σ₀² in the conjugate scaled-inverse-χ² model of the variance (Gelman
 * et al., "Bayesian Data Analysis", 3rd ed., 2013, §3.3: posterior scale (ν₀σ₀² + (n−1)s²)/(ν₀ + n − 1),
 * which is σ₀²/n when s = 0). σ₀² is the variance of the difference of two independent scores
 * uniform over their range (2 · (range/2)²/12 for differences in [low, high] of scores in [0, 1]:
 * 1/6): an uninformed guess, not the worst case. Used as a floor, not a shrinkage, so it binds only
 * when the sample shows almost no spread: with 0/1 scores only when every pair differs the same way
 * or none differs (one discordant pair in n already gives s² ≈ 1/n > 1/(6n)). It can only widen an
 * interval, so the false-positive rate cannot rise; `bench/verdict-calibration.ts` and
 * `bench/sample-size.ts` measure how little power it costs (docs/PERFORMANCE.md).
 */
export function varianceFloor(n: number, bounds: [number, number] = [-1, 1]): number {
  return (bounds[1] - bounds[0]) ** 2 / 24 / n;
}

/** Two-sided p of a t statistic delta / se with df degrees of freedom. */
export function tPValue(delta: number, se: number, df: number): number {
  if (df < 1 || !Number.isFinite(se)) return 1;
  if (se === 0) return delta === 0 ? 1 : 0;
  return Math.min(1, 2 * studentTCdf(-Math.abs(delta / se), df));
}

/** `delta ± t_{(1+level)/2, df} · se`, clipped to `bounds`; the whole `bounds` when df < 1. */
export function tInterval(
  delta: number,
  se: number,
  df: number,
  level: number,
  bounds: [number, number] = [-1, 1],
): [number, number] {
  if (df < 1 || !Number.isFinite(se)) return [bounds[0], bounds[1]];
  const half = studentTQuantile((1 + level) / 2, df) * se;
  return [Math.max(bounds[0], delta - half), Math.min(bounds[1], delta + half)];
}
