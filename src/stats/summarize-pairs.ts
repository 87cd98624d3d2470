import type { Pair } from "./bootstrap.js";
import { pairedTTest } from "./paired-t.js";

/**
 * Below this many pairs a comparison is "insufficient data" (`dspy_config.min_labelled_examples`'s
 * default, the floor under which a verdict is `needs_more_data`).
 */
export const MIN_PAIRS = 10;

/** The paired comparison of two arms. */
export interface PairSummary {
  /** mean(optimized − traditional). */
  delta: number;
  /** 95% CI of the delta that inverts the paired t test (`pairedTTest`). */
  ci95: [number, number];
  /** Two-sided p of the same paired t test; null with no pairs. */
  p_value: number | null;
  /** Standard error of the delta and its degrees of freedom, so intervals can be redone at another level (FDR). */
  se: number;
  df: number;
  n: number;
  /** Pairs where optimized scored higher. */
  wins: number;
  losses: number;
  ties: number;
  /** binary when every score is 0 or 1. */
  metric_kind: "binary" | "continuous";
  /** Fewer than `minPairs` pairs. */
  insufficient_data: boolean;
}

/** Whether every score of every pair is exactly 0 or 1. */
export function isBinary(pairs: readonly Pair[]): boolean {
  return pairs.every(
    (p) => (p.traditional === 0 || p.traditional === 1) && (p.optimized === 0 || p.optimized === 1),
  );
}

/**
 * Summarises paired scores: delta, its 95% CI and p-value from one paired t test (so they never
 * disagree), wins/losses/ties and the insufficient-data flag. Pure: the same pairs give the same
 * summary (`seed` is kept for callers and unused by the t test).
 */
export function summarizePairs(
  pairs: readonly Pair[],
  options: { seed: number; minPairs?: number },
): PairSummary {
  const n = pairs.length;
  let wins = 0;
  let losses = 0;
  for (const p of pairs) {
    if (p.optimized > p.traditional) wins++;
    else if (p.optimized < p.traditional) losses++;
  }
  const ties = n - wins - losses;
  const metricKind = isBinary(pairs) ? "binary" : "continuous";
  const insufficient = n < (options.minPairs ?? MIN_PAIRS);
  if (n === 0)
    return {
      delta: 0,
      ci95: [0, 0],
      p_value: null,
      se: Number.POSITIVE_INFINITY,
      df: 0,
      n,
      wins,
      losses,
      ties,
      metric_kind: metricKind,
      insufficient_data: true,
    };
  const test = pairedTTest(pairs.map((p) => p.optimized - p.traditional));
  return {
    delta: test.delta,
    ci95: test.ci,
    p_value: test.p_value,
    se: test.se,
    df: test.df,
    n,
    wins,
    losses,
    ties,
    metric_kind: metricKind,
    insufficient_data: insufficient,
  };
}
