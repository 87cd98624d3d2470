import { mean, percentile } from "./percentile.js";
import { seededRandom } from "./seeded-random.js";

/** Options of the seeded bootstrap. */
export interface BootstrapOptions {
  /** Seed of the resampling; the same seed gives the same interval. */
  seed: number;
  /** Number of resamples. @default 2000 */
  resamples?: number;
  /** Two-sided confidence level. @default 0.95 */
  level?: number;
}

/**
 * Percentile-bootstrap interval of the mean (Efron & Tibshirani 1993, ch. 13): resample with
 * replacement `resamples` times, take the (1-level)/2 and (1+level)/2 quantiles of the means.
 * Returns [NaN, NaN] for an empty list.
 */
export function bootstrapMeanCi(
  values: readonly number[],
  options: BootstrapOptions,
): [number, number] {
  if (values.length === 0) return [Number.NaN, Number.NaN];
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const random = seededRandom(options.seed);
  const n = values.length;
  const means: number[] = new Array<number>(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)]!;
    means[r] = sum / n;
  }
  return [percentile(means, (1 - level) / 2), percentile(means, (1 + level) / 2)];
}

/** A paired observation: both arms scored on the same input. */
export interface Pair {
  traditional: number;
  optimized: number;
}

/**
 * Seeded paired-bootstrap interval of mean(optimized − traditional): pairs are resampled together,
 * so the interval reflects the correlation between arms (a bootstrap of the per-pair differences).
 */
export function pairedBootstrapDeltaCi(
  pairs: readonly Pair[],
  options: BootstrapOptions,
): [number, number] {
  return bootstrapMeanCi(
    pairs.map((p) => p.optimized - p.traditional),
    options,
  );
}

/** mean(optimized − traditional); NaN for no pairs. */
export function meanDelta(pairs: readonly Pair[]): number {
  return mean(pairs.map((p) => p.optimized - p.traditional));
}
