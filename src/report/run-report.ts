/**
 * The run report: the JSON contract of DESIGN.md ("Report JSON carries at least ...").
 * Written by `run --report-json`, merged by `report`, rendered into the PR comment and job summary.
 * Defined once with TypeBox: the TypeScript types and the published JSON Schema come from here.
 * Field names are snake_case because they are a public file format.
 */
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { stringEnum } from "./guards.js";

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const literals = <const T extends readonly string[]>(values: T, description: string) =>
  stringEnum(values, { description });

export const executionModeValues = [
  "traditional",
  "dspy_optimized",
  "hybrid",
  "evaluation",
] as const;
export const ExecutionModeSchema = literals(executionModeValues, "Execution mode.");
export type ExecutionMode = (typeof executionModeValues)[number];

export const ModeSourceSchema = literals(
  ["run_option", "hybrid_config", "dspy_config", "default"] as const,
  "Which rule decided the mode (precedence: run option > hybrid_config.mode > dspy_config flags > default).",
);
export type ModeSource = Static<typeof ModeSourceSchema>;

export const RouteSchema = literals(
  ["traditional", "optimized", "ab", "skipped"] as const,
  "How the step ran; `ab`: both variants, the better result kept.",
);
export type Route = Static<typeof RouteSchema>;

export const FallbackReasonSchema = literals(
  ["dspy_unavailable", "optimization_failed", "timeout"] as const,
  "Why the optimized variant was not used.",
);
export type FallbackReason = Static<typeof FallbackReasonSchema>;

export const StepStatusSchema = literals(
  ["success", "failed", "skipped", "fallback", "not_run"] as const,
  "Outcome of the step.",
);
export type StepStatus = Static<typeof StepStatusSchema>;

export const RecommendationSchema = literals(
  ["use_optimized", "use_traditional", "keep_testing", "needs_more_data", "add_examples"] as const,
  "What to do with the step.",
);
export type Recommendation = Static<typeof RecommendationSchema>;

export const StepMetricsSchema = Type.Object({
  latency_ms: Type.Number(),
  input_tokens: Type.Number(),
  output_tokens: Type.Number(),
  cost_usd: Nullable(
    Type.Number({ description: "null when any call's model is missing from the price table." }),
  ),
  quality: Nullable(
    Type.Number({ description: "0..1 by the step's metric, null when not scored." }),
  ),
});
export type StepMetrics = Static<typeof StepMetricsSchema>;

export const ArmSummarySchema = Type.Object({
  mean: Type.Number(),
  ci95: Type.Tuple([Type.Number(), Type.Number()], {
    description: "95% interval of the mean: Wilson for pass/fail metrics, bootstrap otherwise.",
  }),
  cost_usd: Nullable(
    Type.Number({
      description:
        "Total cost of this arm over the n pairs; null when any call's model is not priced.",
    }),
  ),
  latency_ms: Type.Number({ description: "p50 latency of one call of this arm." }),
  latency_p95_ms: Type.Number(),
  success_rate: Type.Number(),
});
export type ArmSummary = Static<typeof ArmSummarySchema>;

export const ScorePairSchema = Type.Object(
  {
    traditional: Type.Number(),
    optimized: Type.Number(),
    latency_ms: Type.Optional(
      Type.Object({ traditional: Type.Number(), optimized: Type.Number() }),
    ),
    cost_usd: Type.Optional(
      Type.Object({ traditional: Nullable(Type.Number()), optimized: Nullable(Type.Number()) }),
    ),
  },
  {
    description:
      "One paired observation: both arms on the same input. Kept so shards merge exactly.",
  },
);
export type ScorePair = Static<typeof ScorePairSchema>;

export const AbBlockSchema = Type.Object({
  source: literals(
    ["evaluation", "online"] as const,
    "Dev-set evaluation, or online A/B during runs.",
  ),
  metric: Type.String(),
  metric_kind: literals(
    ["binary", "continuous"] as const,
    "binary when every score is 0 or 1 (McNemar applies).",
  ),
  traditional: ArmSummarySchema,
  optimized: ArmSummarySchema,
  delta: Type.Number({ description: "mean(optimized - traditional) over the pairs." }),
  ci95: Type.Tuple([Type.Number(), Type.Number()], {
    description: "Seeded paired-bootstrap 95% CI of the delta.",
  }),
  p_value: Nullable(
    Type.Number({
      description: "Exact McNemar for binary metrics, a paired permutation test otherwise.",
    }),
  ),
  n: Type.Integer(),
  wins: Type.Integer(),
  losses: Type.Integer(),
  ties: Type.Integer(),
  insufficient_data: Type.Boolean(),
  recommendation: RecommendationSchema,
  recommendation_reason: Type.String(),
  threshold: Type.Optional(
    Type.Number({
      description: "The performance_threshold the recommendation used (merges recompute with it).",
    }),
  ),
  pairs: Type.Array(ScorePairSchema),
});
export type AbBlock = Static<typeof AbBlockSchema>;

export const RouteDecisionSchema = Type.Object({
  route: RouteSchema,
  reason: Type.String({ description: "The rule that fired and the evidence it used." }),
  estimated_benefit: Nullable(
    Type.Number({
      description:
        "Estimated quality gain of the optimized program (dev-set gain pooled with online A/B).",
    }),
  ),
});
export type RouteDecision = Static<typeof RouteDecisionSchema>;

export const StepReportSchema = Type.Object({
  name: Type.String(),
  type: Type.String(),
  route: RouteSchema,
  decision: RouteDecisionSchema,
  status: StepStatusSchema,
  fallback: Nullable(Type.Object({ reason: FallbackReasonSchema, detail: Type.String() })),
  error: Nullable(Type.String()),
  metrics: StepMetricsSchema,
  ab: Type.Optional(AbBlockSchema),
  output_preview: Type.Optional(
    Type.String({
      description: "A short, redacted sample of the kept output (escaped only when rendered).",
    }),
  ),
});
export type StepReport = Static<typeof StepReportSchema>;

export const StepPerformanceSchema = Type.Object(
  {
    step: Type.String(),
    route: RouteSchema,
    n: Type.Integer({
      description: "Executions of the step on this route in the run (loops run a step many times).",
    }),
    success_rate: Type.Number(),
    latency_p50_ms: Type.Number(),
    latency_p95_ms: Type.Number(),
    input_tokens: Type.Integer(),
    output_tokens: Type.Integer(),
    cost_usd: Nullable(
      Type.Number({ description: "Total over the executions; null when a model is not priced." }),
    ),
    quality: Nullable(
      Type.Number({
        description: "Mean reference-free score where one was computed (A/B), else null.",
      }),
    ),
  },
  {
    description:
      "The performance monitor's summary of one step on one route. Latency and cost count what a call cost even when the LM-call cache served it.",
  },
);
export type StepPerformance = Static<typeof StepPerformanceSchema>;

const TierNameSchema = literals(["memory", "disk", "distributed"] as const, "Cache tier.");

export const CacheReportSchema = Type.Object({
  hits: Type.Object({ memory: Type.Integer(), disk: Type.Integer(), distributed: Type.Integer() }),
  misses: Type.Integer(),
  promotions: Type.Integer(),
  evictions: Type.Integer(),
  corrupt_entries: Type.Integer(),
  degraded: Type.Array(Type.Object({ tier: TierNameSchema, reason: Type.String() }), {
    description: "Tiers that failed during the run and were bypassed.",
  }),
});
export type CacheReport = Static<typeof CacheReportSchema>;

export const LmCallCountsSchema = Type.Object(
  {
    step: Type.Integer(),
    optimize: Type.Integer(),
    evaluate: Type.Integer(),
    judge: Type.Integer(),
  },
  { description: "Calls actually sent to the provider, per purpose (cache hits are not calls)." },
);
export type LmCallCounts = Static<typeof LmCallCountsSchema>;

export const RunReportSchema = Type.Object(
  {
    schema_version: Type.Literal(1),
    tool: Type.Object({ name: Type.Literal("hybrid-pipeline"), version: Type.String() }),
    workflow: Type.String(),
    file: Type.String({ description: "Pipeline file, relative to the working directory." }),
    mode: ExecutionModeSchema,
    mode_source: ModeSourceSchema,
    provider: Type.String(),
    simulated: Type.Boolean({ description: "true under the offline sim provider." }),
    status: literals(["success", "failed", "partial"] as const, "partial: the budget ran out."),
    started_at: Type.String(),
    duration_ms: Type.Number(),
    steps: Type.Array(StepReportSchema),
    cache: CacheReportSchema,
    lm_calls: LmCallCountsSchema,
    errors: Type.Object(
      {
        traditional: Type.Record(Type.String(), Type.Integer()),
        optimized: Type.Record(Type.String(), Type.Integer()),
      },
      {
        description:
          "Faults seen per arm (including those recovered by fallback), keyed by error code.",
      },
    ),
    performance: Type.Optional(
      Type.Array(StepPerformanceSchema, {
        description: "Per step and route, outside traditional mode: every execution summarised.",
      }),
    ),
    provider_faults: Type.Optional(
      Type.Record(Type.String(), Type.Integer(), {
        description:
          "Every failed provider attempt by kind (rate_limited, overloaded, server, timeout, ...), including those the SDK's retries recovered from.",
      }),
    ),
    budget: Type.Object({
      limit_usd: Nullable(Type.Number()),
      spent_usd: Type.Number(),
      exhausted: Type.Boolean(),
    }),
    warnings: Type.Array(Type.String()),
  },
  {
    $id: "https://hybrid-pipeline.dev/schema/report.schema.json",
    title: "hybrid-pipeline run report",
  },
);
export type RunReport = Static<typeof RunReportSchema>;

/** An empty cache block, for runs with caching disabled. */
export function emptyCacheReport(): CacheReport {
  return {
    hits: { memory: 0, disk: 0, distributed: 0 },
    misses: 0,
    promotions: 0,
    evictions: 0,
    corrupt_entries: 0,
    degraded: [],
  };
}
