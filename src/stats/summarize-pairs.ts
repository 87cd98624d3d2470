import { meanDelta, pairedBootstrapDeltaCi, type Pair } from "./bootstrap.js";
import { exactMcNemarP } from "./mcnemar.js";
import { signFlipPermutationP } from "./sign-flip.js";

/** Below this many pairs a comparison is "insufficient data". */
export const MIN_PAIRS = 30;
/** Below this many pairs where the arms differ, a comparison is "insufficient data". */
export const MIN_DISAGREEMENTS = 10;

/** The paired comparison of two arms. */
export interface PairSummary {
  /** mean(optimized − traditional). */
  delta: number;
  /** Seeded paired-bootstrap 95% CI of the delta. */
  ci95: [number, number];
  /** Exact McNemar (binary) or sign-flip permutation (continuous); null with no pairs. */
  p_value: number | null;
  n: number;
  /** Pairs where optimized scored higher. */
  wins: number;
  losses: number;
  ties: number;
  /** binary when every score is 0 or 1. */
  metric_kind: "binary" | "continuous";
  /** Fewer than 30 pairs or fewer than 10 disagreements (wins + losses). */
  insufficient_data: boolean;
}

/** Whether every score of every pair is exactly 0 or 1. */
export function isBinary(pairs: readonly Pair[]): boolean {
  return pairs.every(
    (p) => (p.traditional === 0 || p.traditional === 1) && (p.optimized === 0 || p.optimized === 1),
  );
}

/**
 * Summarises paired scores: delta, its seeded bootstrap CI, the p-value of the test that fits the
 * metric (exact McNemar for pass/fail, sign-flip permutation otherwise), wins/losses/ties and the
 * insufficient-data flag. Pure: the same pairs and seed give the same summary.
 */
export function summarizePairs(pairs: readonly Pair[], options: { seed: number }): PairSummary {
  const n = pairs.length;
  let wins = 0;
  let losses = 0;
  for (const p of pairs) {
    if (p.optimized > p.traditional) wins++;
    else if (p.optimized < p.traditional) losses++;
  }
  const ties = n - wins - losses;
  const metricKind = isBinary(pairs) ? "binary" : "continuous";
  const insufficient = n < MIN_PAIRS || wins + losses < MIN_DISAGREEMENTS;
  if (n === 0)
    return {
      delta: 0,
      ci95: [0, 0],
      p_value: null,
      n,
      wins,
      losses,
      ties,
      metric_kind: metricKind,
      insufficient_data: true,
    };
  const differences = pairs.map((p) => p.optimized - p.traditional);
  // In a binary metric a loss is "only traditional passed" (b) and a win "only optimized passed" (c).
  const pValue =
    metricKind === "binary"
      ? exactMcNemarP(losses, wins)
      : signFlipPermutationP(differences, { seed: options.seed });
  return {
    delta: meanDelta(pairs),
    ci95: pairedBootstrapDeltaCi(pairs, { seed: options.seed }),
    p_value: pValue,
    n,
    wins,
    losses,
    ties,
    metric_kind: metricKind,
    insufficient_data: insufficient,
  };
}
