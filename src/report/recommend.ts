import { MIN_PAIRS, type PairSummary } from "../stats/index.js";
import type { Recommendation } from "./run-report.js";

/** The evidence a recommendation uses. */
export interface RecommendInput {
  /** Δ, its CI (the plain 95% one, or the FDR-adjusted one in a report with several steps) and n. */
  summary: Pick<PairSummary, "delta" | "ci95" | "p_value" | "n">;
  /** Total cost of each arm over the pairs; null when unpriced. */
  traditionalCostUsd: number | null;
  optimizedCostUsd: number | null;
  /** Quality gain that makes the optimized program worth it (`hybrid_config.performance_threshold`). @default 0.1 */
  threshold?: number;
  /** Below this many pairs: needs more data. @default 10 */
  floor?: number;
  /** With an interval that contains 0: the sentence saying what data a conclusive verdict needs (`neededText`). */
  needed?: string;
}

const fmt = (x: number) => (x >= 0 ? "+" : "") + x.toFixed(3);

function costText(tc: number | null, oc: number | null): string {
  if (tc === null || oc === null) return "cost unknown";
  if (tc === 0) return oc === 0 ? "cost ×1.00" : "cost ×∞";
  return `cost ×${(oc / tc).toFixed(2)}`;
}

/**
 * The routing rule, read from the same interval as the verdict (so a recommendation never disagrees
 * with the CI or the p-value): `use_optimized` when the CI's lower bound is above the threshold,
 * `use_traditional` when its upper bound is below it, `keep_testing` in between; `needs_more_data`
 * below the floor of pairs, `add_examples` with none. Cost is stated, not weighed.
 */
export function recommend(input: RecommendInput): {
  recommendation: Recommendation;
  reason: string;
} {
  const { summary } = input;
  const t = input.threshold ?? 0.1;
  const floor = input.floor ?? MIN_PAIRS;
  if (summary.n === 0)
    return {
      recommendation: "add_examples",
      reason: "no held-out examples were evaluated; add training data for this step",
    };
  if (summary.n < floor)
    return {
      recommendation: "needs_more_data",
      reason: `${summary.n} held-out pairs (< ${floor}): ${input.needed ?? "add labelled examples"}`,
    };
  const [low, high] = summary.ci95;
  const ci = `Δ ${fmt(summary.delta)}, CI [${fmt(low)}, ${fmt(high)}], n=${summary.n}`;
  const cost = costText(input.traditionalCostUsd, input.optimizedCostUsd);
  const more = input.needed !== undefined && low <= 0 && high >= 0 ? `; ${input.needed}` : "";
  if (low > t)
    return {
      recommendation: "use_optimized",
      reason: `${ci}: lower bound above threshold ${t} (${cost})`,
    };
  if (high < t)
    return {
      recommendation: "use_traditional",
      reason: `${ci}: upper bound below threshold ${t} (${cost})${more}`,
    };
  return {
    recommendation: "keep_testing",
    reason: `${ci}: the CI contains threshold ${t}${more}`,
  };
}
