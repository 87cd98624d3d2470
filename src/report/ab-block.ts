import type { AbBlock, ArmSummary, ScorePair } from "./run-report.js";
import {
  bootstrapMeanCi,
  isBinary,
  mean,
  percentile,
  summarizePairs,
  wilsonInterval,
} from "../stats/index.js";
import { recommend } from "./recommend.js";

/** What an A/B block is built from. */
export interface AbBlockInput {
  source: AbBlock["source"];
  metric: string;
  pairs: ScorePair[];
  /** Seed of the bootstrap intervals and the permutation test. */
  seed: number;
  /** Calls that failed, per arm (success_rate = 1 − failed / n). @default 0 */
  failures?: { traditional: number; optimized: number };
  /** @default 0.1 */
  threshold?: number;
}

function sumCosts(costs: Array<number | null | undefined>): number | null {
  let total = 0;
  for (const c of costs) {
    if (c === null || c === undefined) return null;
    total += c;
  }
  return total;
}

function arm(
  scores: number[],
  binary: boolean,
  latencies: number[],
  cost: number | null,
  failed: number,
  seed: number,
): ArmSummary {
  const n = scores.length;
  const ci95 =
    n === 0
      ? ([0, 1] as [number, number])
      : binary
        ? wilsonInterval(scores.filter((s) => s === 1).length, n)
        : bootstrapMeanCi(scores, { seed });
  return {
    mean: n === 0 ? 0 : mean(scores),
    ci95,
    cost_usd: cost,
    latency_ms: latencies.length === 0 ? 0 : percentile(latencies, 0.5),
    latency_p95_ms: latencies.length === 0 ? 0 : percentile(latencies, 0.95),
    success_rate: n === 0 ? 0 : (n - failed) / n,
  };
}

/**
 * The report's `ab` block of a step from its paired scores: per-arm mean with 95% interval (Wilson
 * for pass/fail, bootstrap otherwise), cost and latency; the paired summary; the recommendation.
 * Pure: shards merged by concatenating `pairs` recompute exactly the same block.
 */
export function buildAbBlock(input: AbBlockInput): AbBlock {
  const { pairs, seed } = input;
  const binary = isBinary(pairs);
  const summary = summarizePairs(pairs, { seed });
  const lat = (k: "traditional" | "optimized") =>
    pairs.flatMap((p) => (p.latency_ms ? [p.latency_ms[k]] : []));
  const cost = (k: "traditional" | "optimized") =>
    sumCosts(pairs.map((p) => (p.cost_usd ? p.cost_usd[k] : 0)));
  const failures = input.failures ?? { traditional: 0, optimized: 0 };
  const traditional = arm(
    pairs.map((p) => p.traditional),
    binary,
    lat("traditional"),
    cost("traditional"),
    failures.traditional,
    seed,
  );
  const optimized = arm(
    pairs.map((p) => p.optimized),
    binary,
    lat("optimized"),
    cost("optimized"),
    failures.optimized,
    seed + 1,
  );
  const { recommendation, reason } = recommend({
    summary,
    traditionalCostUsd: traditional.cost_usd,
    optimizedCostUsd: optimized.cost_usd,
    ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
  });
  return {
    source: input.source,
    metric: input.metric,
    metric_kind: summary.metric_kind,
    traditional,
    optimized,
    delta: summary.delta,
    ci95: summary.ci95,
    p_value: summary.p_value,
    n: summary.n,
    wins: summary.wins,
    losses: summary.losses,
    ties: summary.ties,
    insufficient_data: summary.insufficient_data,
    recommendation,
    recommendation_reason: reason,
    threshold: input.threshold ?? 0.1,
    pairs,
  };
}
