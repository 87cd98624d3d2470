/**
 * The run report: the JSON contract of DESIGN.md ("Report JSON carries at least ...").
 * Written by `run --report-json`, merged by `report`, rendered into the PR comment and job summary.
 * Field names are snake_case because they are a public file format.
 */

export type ExecutionMode = "traditional" | "dspy_optimized" | "hybrid" | "evaluation";

/** Which rule decided the mode (precedence: run option > hybrid_config.mode > dspy_config flags > default). */
export type ModeSource = "run_option" | "hybrid_config" | "dspy_config" | "default";

/** How a step was executed. `ab`: both variants ran and the better result was kept. */
export type Route = "traditional" | "optimized" | "ab" | "skipped";

export type FallbackReason = "dspy_unavailable" | "optimization_failed" | "timeout";

export type StepStatus = "success" | "failed" | "skipped" | "fallback" | "not_run";

export type Recommendation =
  | "use_optimized"
  | "use_traditional"
  | "keep_testing"
  | "needs_more_data"
  | "add_examples";

export interface StepMetrics {
  latency_ms: number;
  input_tokens: number;
  output_tokens: number;
  /** null when any call's model is missing from the price table. */
  cost_usd: number | null;
  /** 0..1 by the step's metric, null when not scored. */
  quality: number | null;
}

export interface ArmSummary {
  mean: number;
  /** 95% interval of the mean: Wilson for pass/fail metrics, bootstrap otherwise. */
  ci95: [number, number];
  /** Total cost of this arm over the n pairs; null when any call's model is not priced. */
  cost_usd: number | null;
  /** p50 latency of one call of this arm. */
  latency_ms: number;
  latency_p95_ms: number;
  success_rate: number;
}

/** One paired observation: both arms on the same input. Kept so shards merge exactly. */
export interface ScorePair {
  traditional: number;
  optimized: number;
  /** Per-arm latency of this pair's calls, so merged reports recompute percentiles exactly. */
  latency_ms?: { traditional: number; optimized: number };
  /** Per-arm cost of this pair's calls; null when a model is missing from the price table. */
  cost_usd?: { traditional: number | null; optimized: number | null };
}

export interface AbBlock {
  source: "evaluation" | "online";
  metric: string;
  /** "binary" when every score is 0 or 1 (McNemar applies), else "continuous". */
  metric_kind: "binary" | "continuous";
  traditional: ArmSummary;
  optimized: ArmSummary;
  /** mean(optimized - traditional) over the pairs. */
  delta: number;
  /** Seeded paired-bootstrap 95% CI of the delta. */
  ci95: [number, number];
  /** Exact McNemar for binary metrics, sign-flip permutation otherwise; null when n = 0. */
  p_value: number | null;
  n: number;
  wins: number;
  losses: number;
  ties: number;
  insufficient_data: boolean;
  recommendation: Recommendation;
  recommendation_reason: string;
  pairs: ScorePair[];
}

export interface RouteDecision {
  route: Route;
  /** Human-readable: the rule that fired and the evidence it used. */
  reason: string;
  /** Estimated quality gain of the optimized program (dev-set gain updated by online A/B), if known. */
  estimated_benefit: number | null;
}

export interface StepReport {
  name: string;
  type: string;
  route: Route;
  decision: RouteDecision;
  status: StepStatus;
  fallback: { reason: FallbackReason; detail: string } | null;
  error: string | null;
  metrics: StepMetrics;
  ab?: AbBlock;
  /** A short, redacted sample of the kept output (escaped only when rendered). */
  output_preview?: string;
}

export interface CacheReport {
  hits: { memory: number; disk: number; distributed: number };
  misses: number;
  promotions: number;
  evictions: number;
  corrupt_entries: number;
  /** Tiers that failed during the run and were bypassed, with why. */
  degraded: Array<{ tier: "memory" | "disk" | "distributed"; reason: string }>;
}

export interface LmCallCounts {
  step: number;
  optimize: number;
  evaluate: number;
  judge: number;
}

export interface RunReport {
  schema_version: 1;
  tool: { name: "hybrid-pipeline"; version: string };
  workflow: string;
  /** Pipeline file, relative to the working directory. */
  file: string;
  mode: ExecutionMode;
  mode_source: ModeSource;
  provider: string;
  simulated: boolean;
  status: "success" | "failed" | "partial";
  started_at: string;
  duration_ms: number;
  steps: StepReport[];
  cache: CacheReport;
  lm_calls: LmCallCounts;
  /** Faults seen per arm (including those recovered by fallback), keyed by error code. */
  errors: { traditional: Record<string, number>; optimized: Record<string, number> };
  budget: { limit_usd: number | null; spent_usd: number; exhausted: boolean };
  warnings: string[];
}

/** An empty cache block, for runs with caching disabled. */
export function emptyCacheReport(): CacheReport {
  return { hits: { memory: 0, disk: 0, distributed: 0 }, misses: 0, promotions: 0, evictions: 0, corrupt_entries: 0, degraded: [] };
}
