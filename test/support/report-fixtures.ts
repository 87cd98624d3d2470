import type { AbBlock, RunReport, StepReport } from "../../src/report/index.js";

export function abBlock(overrides: Partial<AbBlock> = {}): AbBlock {
  return {
    source: "evaluation",
    metric: "exact_match",
    metric_kind: "binary",
    traditional: {
      mean: 0.61,
      ci95: [0.45, 0.75],
      cost_usd: 0.01,
      latency_ms: 1200,
      latency_p95_ms: 1900,
      success_rate: 1,
    },
    optimized: {
      mean: 0.83,
      ci95: [0.68, 0.92],
      cost_usd: 0.013,
      latency_ms: 1400,
      latency_p95_ms: 2100,
      success_rate: 1,
    },
    delta: 0.22,
    ci95: [0.12, 0.31],
    p_value: 0.002,
    n: 40,
    wins: 10,
    losses: 1,
    ties: 29,
    insufficient_data: false,
    recommendation: "use_optimized",
    recommendation_reason: "quality +0.22 (significant) at 1.3× cost",
    pairs: [],
    ...overrides,
  };
}

export function step(overrides: Partial<StepReport> = {}): StepReport {
  return {
    name: "analyze",
    type: "claude",
    route: "traditional",
    decision: { route: "traditional", reason: "mode traditional", estimated_benefit: null },
    status: "success",
    fallback: null,
    error: null,
    metrics: {
      latency_ms: 850,
      input_tokens: 800,
      output_tokens: 200,
      cost_usd: 0.0054,
      quality: null,
    },
    ...overrides,
  };
}

export function report(overrides: Partial<RunReport> = {}): RunReport {
  return {
    schema_version: 2,
    tool: { name: "hybrid-pipeline", version: "0.1.0" },
    workflow: "code_review",
    file: "examples/code-review/code_review.yaml",
    mode: "hybrid",
    mode_source: "hybrid_config",
    provider: "sim",
    simulated: true,
    status: "success",
    started_at: "2026-11-28T12:00:00.000Z",
    duration_ms: 1234,
    steps: [step()],
    cache: {
      hits: { memory: 1, disk: 2, distributed: 0 },
      misses: 0,
      promotions: 2,
      evictions: 0,
      corrupt_entries: 0,
      degraded: [],
    },
    lm_calls: { step: 120, optimize: 0, evaluate: 0, judge: 0 },
    errors: { traditional: {}, optimized: {} },
    budget: { limit_usd: 2, spent_usd: 0.41, exhausted: false },
    warnings: [],
    ...overrides,
  };
}
