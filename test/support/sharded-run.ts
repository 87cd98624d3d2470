import { buildAbBlock } from "../../src/report/index.js";
import type { RunReport, ScorePair, StepReport } from "../../src/report/index.js";
import { report, step } from "./report-fixtures.js";

type MetricKind = "binary" | "continuous";

/** 60 paired scores of a step, with latency and cost per arm; every value exact in binary floating point where it is summed. */
export function scorePairs(kind: MetricKind): ScorePair[] {
  return Array.from({ length: 60 }, (_, i) => {
    const traditional = kind === "binary" ? (i % 3 === 0 ? 0 : 1) : ((i * 37) % 100) / 100;
    const optimized =
      kind === "binary"
        ? i % 7 === 0
          ? 0
          : 1
        : Math.min(1, traditional + (((i * 13) % 30) - 6) / 100);
    return {
      traditional,
      optimized,
      latency_ms: { traditional: 100 + ((i * 11) % 40), optimized: 130 + ((i * 7) % 50) },
      cost_usd: { traditional: 0.001, optimized: 0.0015 },
    };
  });
}

interface Shard {
  range: [number, number];
  failures: { traditional: number; optimized: number };
  quality: number;
  latency: number;
  summarizeCost: number | null;
  run: Partial<RunReport>;
}

/** Three shards of one evaluation run: what each wrote, and what the unsharded run over all pairs writes. */
const shardPlan: Shard[] = [
  {
    range: [0, 20],
    failures: { traditional: 2, optimized: 0 },
    quality: 0.5,
    latency: 1000,
    summarizeCost: 0.25,
    run: {
      status: "success",
      started_at: "2026-11-28T12:00:05.000Z",
      duration_ms: 1000,
      cache: {
        hits: { memory: 1, disk: 0, distributed: 0 },
        misses: 2,
        promotions: 0,
        evictions: 0,
        corrupt_entries: 0,
        degraded: [],
      },
      lm_calls: { step: 10, optimize: 0, evaluate: 40, judge: 0 },
      errors: { traditional: { rate_limited: 1 }, optimized: {} },
      budget: { limit_usd: 1, spent_usd: 0.25, exhausted: false },
      warnings: ["training data has 3 duplicate examples"],
    },
  },
  {
    range: [20, 40],
    failures: { traditional: 1, optimized: 1 },
    quality: 0.75,
    latency: 2000,
    summarizeCost: null,
    run: {
      status: "partial",
      started_at: "2026-11-28T12:00:01.000Z",
      duration_ms: 3000,
      cache: {
        hits: { memory: 0, disk: 2, distributed: 1 },
        misses: 1,
        promotions: 2,
        evictions: 1,
        corrupt_entries: 0,
        degraded: [{ tier: "distributed", reason: "connection refused" }],
      },
      lm_calls: { step: 12, optimize: 5, evaluate: 40, judge: 2 },
      errors: { traditional: { rate_limited: 2, timeout: 1 }, optimized: { timeout: 1 } },
      budget: { limit_usd: 1, spent_usd: 0.5, exhausted: true },
      warnings: [
        "training data has 3 duplicate examples",
        "budget exhausted before step summarize",
      ],
    },
  },
  {
    range: [40, 60],
    failures: { traditional: 0, optimized: 0 },
    quality: 0.25,
    latency: 3000,
    summarizeCost: 0.5,
    run: {
      status: "success",
      started_at: "2026-11-28T12:00:03.000Z",
      duration_ms: 2000,
      cache: {
        hits: { memory: 0, disk: 1, distributed: 0 },
        misses: 0,
        promotions: 0,
        evictions: 0,
        corrupt_entries: 1,
        degraded: [{ tier: "distributed", reason: "connection refused" }],
      },
      lm_calls: { step: 8, optimize: 0, evaluate: 40, judge: 1 },
      errors: { traditional: {}, optimized: { timeout: 2 } },
      budget: { limit_usd: 1, spent_usd: 0.125, exhausted: false },
      warnings: [],
    },
  },
];

function analyze(
  kind: MetricKind,
  pairs: ScorePair[],
  failures: Shard["failures"],
  quality: number,
  latency: number,
): StepReport {
  return step({
    name: "analyze",
    route: "ab",
    decision: {
      route: "ab",
      reason: "evaluation mode: both variants over the dev set",
      estimated_benefit: null,
    },
    metrics: {
      latency_ms: latency,
      input_tokens: latency * 2,
      output_tokens: latency / 2,
      cost_usd: latency / 8000,
      quality,
    },
    ab: buildAbBlock({
      source: "evaluation",
      metric: kind === "binary" ? "exact_match" : "token_f1",
      pairs,
      seed: 0,
      failures,
    }),
  });
}

function summarize(cost: number | null, latency: number): StepReport {
  return step({
    name: "summarize",
    metrics: {
      latency_ms: latency,
      input_tokens: latency,
      output_tokens: latency / 2,
      cost_usd: cost,
      quality: 0.5,
    },
  });
}

/** The shard reports of an evaluation run split three ways, and the report one run over all the pairs gives. */
export function shardedRun(kind: MetricKind): { shards: RunReport[]; single: RunReport } {
  const pairs = scorePairs(kind);
  const shards = shardPlan.map((s) =>
    report({
      mode: "evaluation",
      ...s.run,
      steps: [
        analyze(kind, pairs.slice(...s.range), s.failures, s.quality, s.latency),
        summarize(s.summarizeCost, s.latency / 10),
      ],
    }),
  );
  const single = report({
    mode: "evaluation",
    status: "partial",
    started_at: "2026-11-28T12:00:01.000Z",
    duration_ms: 3000,
    steps: [
      analyze(kind, pairs, { traditional: 3, optimized: 1 }, 0.5, 6000),
      summarize(null, 600),
    ],
    cache: {
      hits: { memory: 1, disk: 3, distributed: 1 },
      misses: 3,
      promotions: 2,
      evictions: 1,
      corrupt_entries: 1,
      degraded: [{ tier: "distributed", reason: "connection refused" }],
    },
    lm_calls: { step: 30, optimize: 5, evaluate: 120, judge: 3 },
    errors: { traditional: { rate_limited: 3, timeout: 1 }, optimized: { timeout: 3 } },
    budget: { limit_usd: 3, spent_usd: 0.875, exhausted: true },
    warnings: ["training data has 3 duplicate examples", "budget exhausted before step summarize"],
  });
  return { shards, single };
}
