import type { PairSummary } from "../stats/index.js";
import type { Recommendation } from "./run-report.js";

/** The evidence a recommendation uses. */
export interface RecommendInput {
  summary: Pick<PairSummary, "delta" | "ci95" | "p_value" | "n" | "insufficient_data">;
  /** Total cost of each arm over the pairs; null when unpriced. */
  traditionalCostUsd: number | null;
  optimizedCostUsd: number | null;
  /** Quality gain that makes the optimized program worth it (`hybrid_config.performance_threshold`). @default 0.1 */
  threshold?: number;
  /** @default 0.05 */
  alpha?: number;
}

/** Quality within this of each other counts as "the same" (the design's 0.05). */
const WITHIN = 0.05;

const fmt = (x: number) => (x >= 0 ? "+" : "") + x.toFixed(3);

/**
 * The design's rules (design/hybrid-execution-architecture.md, "generate_recommendations"), qualified
 * by significance: optimized when quality rises by the threshold (0.1) at ≤ 1.2× cost and the paired
 * test is significant; traditional when it costs < 0.8× the optimized with quality within 0.05, or
 * the optimized program is significantly worse; within 0.05 otherwise → keep testing (hybrid);
 * a large but not significant gain → keep testing; too few pairs → needs more data; none → add examples.
 */
export function recommend(input: RecommendInput): {
  recommendation: Recommendation;
  reason: string;
} {
  const { summary } = input;
  const threshold = input.threshold ?? 0.1;
  const alpha = input.alpha ?? 0.05;
  if (summary.n === 0)
    return {
      recommendation: "add_examples",
      reason: "no dev examples were evaluated; add training data for this step",
    };
  const d = summary.delta;
  const significant = summary.p_value !== null && summary.p_value < alpha;
  const tc = input.traditionalCostUsd;
  const oc = input.optimizedCostUsd;
  const costRatio =
    tc === null || oc === null
      ? null
      : tc === 0
        ? oc === 0
          ? 1
          : Number.POSITIVE_INFINITY
        : oc / tc;
  const ratioText =
    costRatio === null
      ? "cost unknown"
      : `cost ×${costRatio === Number.POSITIVE_INFINITY ? "∞" : costRatio.toFixed(2)}`;
  const p = summary.p_value === null ? "p n/a" : `p=${summary.p_value.toPrecision(2)}`;
  if (summary.insufficient_data)
    return {
      recommendation: "needs_more_data",
      reason: `Δ ${fmt(d)} on ${summary.n} pairs is too little evidence (needs ≥ 30 pairs and ≥ 10 disagreements)`,
    };
  if (d >= threshold && (costRatio === null || costRatio <= 1.2)) {
    if (significant && summary.ci95[0] > 0)
      return {
        recommendation: "use_optimized",
        reason: `quality ${fmt(d)} (≥ ${threshold}), ${p}, ${ratioText}`,
      };
    return {
      recommendation: "keep_testing",
      reason: `quality ${fmt(d)} but not significant (${p})`,
    };
  }
  if (d >= threshold && significant) {
    return {
      recommendation: "needs_more_data",
      reason: `quality ${fmt(d)} (${p}) but ${ratioText} exceeds the 1.2× cost bound; fewer demos would cut the cost`,
    };
  }
  if (d <= -threshold && significant)
    return {
      recommendation: "use_traditional",
      reason: `optimized is worse: quality ${fmt(d)}, ${p}`,
    };
  if (Math.abs(d) <= WITHIN) {
    const traditionalCheaper = costRatio !== null && costRatio > 0 && 1 / costRatio < 0.8;
    if (traditionalCheaper)
      return {
        recommendation: "use_traditional",
        reason: `quality within ${WITHIN} (${fmt(d)}) and traditional costs < 0.8× (${ratioText})`,
      };
    return {
      recommendation: "keep_testing",
      reason: `quality within ${WITHIN} (${fmt(d)}, ${p}): run both (hybrid)`,
    };
  }
  return {
    recommendation: "needs_more_data",
    reason: `quality ${fmt(d)}, ${p}, ${ratioText}: no rule applies yet`,
  };
}
