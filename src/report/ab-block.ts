import type { AbBlock, ArmSummary, HeldoutEvidence, ScorePair } from "./run-report.js";
import {
  bootstrapMeanCi,
  isBinary,
  mean,
  percentile,
  summarizePairs,
  wilsonInterval,
} from "../stats/index.js";
import { neededExamples, neededText } from "./needed-examples.js";
import { recommend } from "./recommend.js";
import { verdictOf } from "./verdict.js";

/** Where held-out pairs came from; the block then carries `heldout` (schema version 2). */
export interface HeldoutSource {
  split: HeldoutEvidence["split"];
  folds: number | null;
  n_labelled: number;
  n_train: number;
  n_validation: number;
  /** Below this many labelled examples the verdict is `needs_more_data`. */
  floor: number;
  /** Answers each arm's output adapter could not read (format compliance, reported apart). */
  parse_failures: { traditional: number; optimized: number };
  /** Runs per example and arm. @default 1 */
  repeats?: number;
  /** With repeats > 1: per example, each arm's share of passing runs. */
  pass_rates?: Array<{ id: string; traditional: number; optimized: number }>;
  /** The held-out examples' ids in the order of the pairs (a later run compares by them). */
  ids?: string[];
  /** `dspy_config.test_fraction` (how many new examples a test split gains). @default n / n_labelled for a test split, else 0.4 */
  test_fraction?: number;
  /** `dspy_config.min_test_examples`. @default 20 */
  min_test_examples?: number;
}

/** Per-example pass rates with flaky examples flagged, and pass^k (passed on every one of the k runs). */
function repeatsBlock(rates: NonNullable<HeldoutSource["pass_rates"]>) {
  const all = (k: "traditional" | "optimized") =>
    rates.length === 0 ? 0 : rates.filter((r) => r[k] === 1).length / rates.length;
  const flaky = (x: number) => x > 0 && x < 1;
  return {
    per_example: rates.map((r) => ({
      id: r.id,
      traditional_pass_rate: r.traditional,
      optimized_pass_rate: r.optimized,
      flaky: flaky(r.traditional) || flaky(r.optimized),
    })),
    pass_k: { traditional: all("traditional"), optimized: all("optimized") },
  };
}

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
  /** Held-out provenance: adds the `heldout` evidence block and applies its floor. */
  heldout?: HeldoutSource;
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
  const floor = input.heldout?.floor;
  const summary = summarizePairs(pairs, {
    seed,
    ...(floor !== undefined ? { minPairs: floor } : {}),
  });
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
  const held = input.heldout;
  const evidence = held ? heldoutBlock(held, summary) : undefined;
  const needed = evidence?.needed
    ? neededText(evidence.needed, { ...evidence, delta: summary.delta })
    : undefined;
  const { recommendation, reason } =
    held?.split === "none"
      ? {
          recommendation: "needs_more_data" as const,
          reason: `needs more data for a held-out verdict: ${needed ?? `add labelled examples (have ${held.n_labelled}, floor ${held.floor})`}`,
        }
      : recommend({
          summary,
          traditionalCostUsd: traditional.cost_usd,
          optimizedCostUsd: optimized.cost_usd,
          ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
          ...(floor !== undefined ? { floor } : {}),
          ...(needed !== undefined ? { needed } : {}),
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
    ...(evidence ? { heldout: evidence } : {}),
  };
}

function heldoutBlock(
  source: HeldoutSource,
  summary: ReturnType<typeof summarizePairs>,
): HeldoutEvidence {
  const n = summary.n;
  const runs = n * (source.repeats ?? 1);
  const valid = (failures: number) => (runs === 0 ? 1 : (runs - failures) / runs);
  const measured = source.split !== "none" && Number.isFinite(summary.se);
  const verdict = measured
    ? verdictOf(summary.ci95, source.n_labelled, source.floor)
    : "needs_more_data";
  const settings = {
    ...(source.test_fraction !== undefined ? { test_fraction: source.test_fraction } : {}),
    ...(source.min_test_examples !== undefined
      ? { min_test_examples: source.min_test_examples }
      : {}),
  };
  const needed =
    verdict === "inconclusive" || verdict === "needs_more_data"
      ? neededExamples({
          split: source.split,
          n,
          n_labelled: source.n_labelled,
          floor: source.floor,
          delta: summary.delta,
          se: summary.se,
          ...settings,
        })
      : null;
  return {
    split: source.split,
    folds: source.folds,
    n,
    n_labelled: source.n_labelled,
    min_labelled: source.floor,
    repeats: source.repeats ?? 1,
    n_train: source.n_train,
    n_validation: source.n_validation,
    test: "paired_t",
    se: measured ? summary.se : 0,
    df: measured ? summary.df : 0,
    verdict,
    q_value: measured ? summary.p_value : null,
    ci_fdr: summary.ci95,
    ...settings,
    needed,
    validity: {
      traditional: valid(source.parse_failures.traditional),
      optimized: valid(source.parse_failures.optimized),
    },
    ...((source.repeats ?? 1) > 1 && source.pass_rates ? repeatsBlock(source.pass_rates) : {}),
    ...(source.ids && source.ids.length === n ? { ids: source.ids } : {}),
  };
}
