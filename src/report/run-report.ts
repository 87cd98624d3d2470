/**
 * The run report: the JSON contract of DESIGN.md ("Report JSON carries at least ...").
 * Written by `run --report-json`, merged by `report`, rendered into the PR comment and job summary.
 * Defined once with TypeBox: the TypeScript types and the published JSON Schema come from here.
 * Field names are snake_case because they are a public file format.
 */
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { stringEnum } from "./guards.js";
import { BaselineSchema, StepFingerprintSchema, VsBaseSchema } from "./vs-base-schema.js";

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
  latency_ms: Type.Number({
    description:
      "Summed over the step's LM calls; a call the LM-call cache served counts the latency of the call that produced its answer.",
  }),
  input_tokens: Type.Number(),
  output_tokens: Type.Number(),
  cost_usd: Nullable(
    Type.Number({
      description:
        "Summed like latency_ms: a cached answer counts what its original call cost (budget.spent_usd counts only what was paid this run). null when any call's model is missing from the price table.",
    }),
  ),
  quality: Nullable(
    Type.Number({ description: "0..1 by the step's metric, null when not scored." }),
  ),
  cached: Type.Optional(
    Type.Boolean({
      description:
        "true when the LM-call cache served every call of the step (nothing sent, nothing paid this run): latency_ms and cost_usd are then the original calls'. Absent when any call was sent, so a partly cached step has no flag and its figures mix this run's calls with the original calls of its cached ones.",
    }),
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

export const VerdictSchema = literals(
  ["better", "worse", "inconclusive", "needs_more_data"] as const,
  "better: the lower bound of the (FDR-adjusted) 95% CI of the held-out Δ is above 0; worse: the upper bound is below 0; needs_more_data: fewer labelled examples than the floor.",
);
export type Verdict = Static<typeof VerdictSchema>;

const Interval = (description: string) =>
  Type.Tuple([Type.Number(), Type.Number()], { description });

export const NeededSchema = Type.Object(
  {
    basis: literals(
      ["floor", "power"] as const,
      "floor: fewer labelled examples than min_labelled_examples; power: the paired t test's sample size for the observed Δ and its spread.",
    ),
    pairs: Nullable(
      Type.Integer({
        description:
          "Held-out pairs needed in all for `power` at two-sided `alpha` (t-corrected formula); null when Δ is 0 (no number is enough) or on the floor basis.",
      }),
    ),
    labelled_examples: Nullable(
      Type.Integer({
        description:
          "Labelled examples in all that would give those pairs (a test split holds test_fraction of them; cross-fitting holds all), or the floor.",
      }),
    ),
    add_labelled_examples: Nullable(
      Type.Integer({ description: "labelled_examples − n_labelled (at least 0)." }),
    ),
    too_small: Type.Boolean({
      description:
        "The effect is too small to chase: more than 10× the current pairs, or more than 2,000 pairs.",
    }),
    alpha: Type.Number({
      description: "The two-sided level the pairs are computed at (FDR-adjusted).",
    }),
    power: Type.Number(),
  },
  {
    description:
      "With an inconclusive or needs_more_data verdict: the data a conclusive one needs. Absent from older reports.",
  },
);
export type Needed = Static<typeof NeededSchema>;

/**
 * Held-out evidence of an evaluation block (schema version 2): where every number comes from (the
 * test split, or k-fold cross-fitting where every example is scored by a program that never saw
 * it), the one decision rule's verdict, and the false-discovery-rate adjustment across the report's
 * steps. Grouped so that the online block's fields can sit beside it.
 */
export const HeldoutEvidenceSchema = Type.Object(
  {
    split: literals(
      ["test", "cross_fit", "none"] as const,
      "test: the held-out test split; cross_fit: k-fold cross-fitting over all labelled examples; none: fewer labelled examples than the floor.",
    ),
    n_labelled: Type.Integer({ description: "Labelled examples of the step in all." }),
    min_labelled: Type.Integer({
      description:
        "The floor (`min_labelled_examples`) below which the verdict is needs_more_data.",
    }),
    folds: Nullable(
      Type.Integer({ description: "k of the cross-fitting; null for a test split." }),
    ),
    n: Type.Integer({ description: "Held-out examples scored (pairs), before repeats." }),
    repeats: Type.Integer({ description: "Times each example was run per arm (temperature > 0)." }),
    n_train: Type.Integer({ description: "Examples the shipped program's demos come from." }),
    n_validation: Type.Integer({ description: "Examples the shipped program was selected on." }),
    test: literals(["paired_t"] as const, "The test behind delta's CI, p and verdict."),
    se: Type.Number({ description: "Standard error of Δ." }),
    df: Type.Number({ description: "Degrees of freedom of the t test." }),
    verdict: VerdictSchema,
    q_value: Nullable(
      Type.Number({
        description:
          "Benjamini–Hochberg adjusted p across the report's held-out comparisons (fdr.m of them).",
      }),
    ),
    ci_fdr: Interval(
      "The CI of Δ at the false-coverage-adjusted level fdr.level (Benjamini–Yekutieli 2005); the verdict reads its bounds, so it agrees with q ≤ 0.05.",
    ),
    test_fraction: Type.Optional(
      Type.Number({
        description:
          "dspy_config.test_fraction of the run: the share of new labelled examples that land in the test split.",
      }),
    ),
    min_test_examples: Type.Optional(
      Type.Integer({
        description:
          "dspy_config.min_test_examples of the run: a smaller test split is replaced by cross-fitting.",
      }),
    ),
    needed: Type.Optional(Nullable(NeededSchema)),
    validity: Type.Object(
      { traditional: Type.Number(), optimized: Type.Number() },
      {
        description:
          "Format compliance per arm: share of answers the output adapter could read (after its one JSON retry). Not mixed into quality.",
      },
    ),
    per_example: Type.Optional(
      Type.Array(
        Type.Object({
          id: Type.String(),
          traditional_pass_rate: Type.Number(),
          optimized_pass_rate: Type.Number(),
          flaky: Type.Boolean({ description: "An arm both passed and failed across repeats." }),
        }),
        {
          description:
            "With repeats > 1: per-example pass rates (a run passes at the metric's pass mark: 1 for pass/fail metrics, 0.5 for continuous ones, a judge's pass_threshold).",
        },
      ),
    ),
    pass_k: Type.Optional(
      Type.Object(
        { traditional: Type.Number(), optimized: Type.Number() },
        { description: "pass^k: share of examples passed on every one of the k repeats." },
      ),
    ),
    ids: Type.Optional(
      Type.Array(Type.String(), {
        description:
          "The held-out examples' ids (id, else content hash), in the order of `ab.pairs`: a later run pairs its scores with these.",
      }),
    ),
  },
  { description: "Held-out evidence (schema version 2)." },
);
export type HeldoutEvidence = Static<typeof HeldoutEvidenceSchema>;

export const FdrSchema = Type.Object(
  {
    method: Type.Literal("benjamini_hochberg"),
    alpha: Type.Number(),
    m: Type.Integer({ description: "Held-out comparisons in the report." }),
    rejected: Type.Integer({ description: "Comparisons with q ≤ alpha." }),
    level: Type.Number({
      description: "Confidence level of every ci_fdr: 1 − max(rejected, 1)·alpha/m.",
    }),
  },
  { description: "False discovery rate control across the steps this report compares." },
);
export type Fdr = Static<typeof FdrSchema>;

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
    description:
      "95% CI of the delta, per comparison (version 2: the paired t interval; version 1: a paired bootstrap).",
  }),
  p_value: Nullable(
    Type.Number({
      description:
        "Two-sided p of the same paired t test (version 1: McNemar or a permutation test).",
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
  heldout: Type.Optional(HeldoutEvidenceSchema),
});
export type AbBlock = Static<typeof AbBlockSchema>;

export const RouteDecisionSchema = Type.Object({
  route: RouteSchema,
  reason: Type.String({ description: "The rule that fired and the evidence it used." }),
  estimated_benefit: Nullable(
    Type.Number({
      description:
        "The held-out Δ (optimized − traditional) routing read; null without held-out evidence.",
    }),
  ),
});
export type RouteDecision = Static<typeof RouteDecisionSchema>;

/** Where a step's optimized program came from (the prompt lockfile: docs/programs.md). */
export const ProgramProvenanceSchema = Type.Object(
  {
    source: literals(
      ["committed", "cache", "compiled", "external"] as const,
      "committed: .hybrid-pipeline/programs/ with our metadata; cache: an optimization-cache tier; compiled: compiled this run; external: a file saved by DSPy, used as it is.",
    ),
    stale: Type.Boolean({
      description: "A committed program whose inputs changed since it was compiled.",
    }),
    changed: Type.Optional(
      Type.Array(literals(["signature", "training_data", "optimizer"] as const, "Input part."), {
        description: "What changed since a stale program was compiled.",
      }),
    ),
    path: Type.Optional(
      Type.String({ description: "The program file, relative to the working directory." }),
    ),
    compiled_for: Type.Optional(
      Type.String({ description: "The model the program was compiled with." }),
    ),
    run_with: Type.Optional(
      Type.String({ description: "The model this run used, when it differs from compiled_for." }),
    ),
  },
  { description: "A step's program: its source, and whether it is stale." },
);
export type ProgramProvenance = Static<typeof ProgramProvenanceSchema>;
const CanaryTallySchema = Type.Object({
  n: Type.Integer({ description: "Executions on distinct inputs." }),
  failed: Type.Integer(),
  invalid: Type.Integer({ description: "Answers outside the signature." }),
});

/** The online A/B's evidence (issue 12: scorer, always-valid statistics, distinct inputs). */
export const OnlineEvidenceSchema = Type.Object(
  {
    scorer: literals(
      ["judge", "canary"] as const,
      "What decided online: `judge` (hybrid_config.online_judge, a pairwise preference per pair), or `canary` (no judge: no pairs, no quality comparison; routing rests on held-out evidence).",
    ),
    scorer_detail: Type.String(),
    distinct_inputs: Type.Integer({
      description: "Inputs counted as evidence, each once (content hash), across runs.",
    }),
    repeats_ignored: Type.Integer({
      description: "Executions on an input already counted (repeats, cache hits, re-runs).",
    }),
    always_valid: Type.Optional(
      Type.Object(
        {
          method: Type.Literal("mSPRT"),
          p_value: Type.Number(),
          confidence_sequence: Type.Tuple([Type.Number(), Type.Number()]),
          alpha: Type.Number(),
          n: Type.Integer(),
        },
        {
          description:
            "Always-valid p-value and (1 − alpha) confidence sequence of the paired Δ: valid however often they are looked at and whenever the A/B stops.",
        },
      ),
    ),
    canary: Type.Optional(
      Type.Object({
        share: Type.Number({ description: "Share of inputs sent to the optimized program." }),
        traditional: CanaryTallySchema,
        optimized: CanaryTallySchema,
        tripped: Type.Boolean({
          description: "The optimized arm fails or answers invalidly significantly more often.",
        }),
      }),
    ),
    decided: Nullable(literals(["traditional", "optimized", "equivalent"] as const, "")),
  },
  { description: "How the step's online A/B was scored and what it has counted." },
);
export type OnlineEvidence = Static<typeof OnlineEvidenceSchema>;

export const SeedSourceSchema = literals(
  ["option", "run_id", "random", "default"] as const,
  "Where the seed of the online allocation came from: --seed, the CI run id and attempt, a random draw, or the engine's default 0.",
);
export type SeedSource = Static<typeof SeedSourceSchema>;

const RegressedAnswerSchema = Type.Object({
  answer: Type.String({
    description: "The arm's answer, redacted and cut to 300 characters (… marks the cut).",
  }),
  score: Type.Number({ description: "The arm's score on the example (mean over repeats)." }),
});

/** Regressed examples a step carries at most: enough to look at, small in the cache and the comment. */
export const MAX_REGRESSIONS = 5;

/** A held-out example the optimized variant got wrong and the traditional one right. */
export const RegressionSchema = Type.Object(
  {
    id: Type.String({
      description: "The example's id (`sha256:…`, a content hash, when the record had none).",
    }),
    input: Type.Optional(
      Type.String({
        description:
          "A short excerpt of the inputs, when the example has no id of its own (redacted, cut).",
      }),
    ),
    traditional: RegressedAnswerSchema,
    optimized: RegressedAnswerSchema,
  },
  {
    description:
      "A held-out example where the optimized variant failed and the traditional passed (each score against the metric's pass mark: 1 for pass/fail metrics, 0.5 for continuous ones, a judge's pass_threshold).",
  },
);
export type Regression = Static<typeof RegressionSchema>;

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
  runs: Type.Optional(
    Type.Integer({
      minimum: 1,
      description:
        "Executions summed into this entry: an LLM step inside a loop, a nested pipeline or a parallel_claude task (named `parent/step`) runs once per iteration.",
    }),
  ),
  online: Type.Optional(OnlineEvidenceSchema),
  output_preview: Type.Optional(
    Type.String({
      description: "A short, redacted sample of the kept output (escaped only when rendered).",
    }),
  ),
  program: Type.Optional(ProgramProvenanceSchema),
  fingerprint: Type.Optional(StepFingerprintSchema),
  vs_base: Type.Optional(VsBaseSchema),
  regressions: Type.Optional(
    Type.Array(RegressionSchema, {
      maxItems: MAX_REGRESSIONS,
      description:
        "With held-out evidence (ab.heldout): up to 5 examples the optimized variant failed and the traditional passed, the largest drops first; empty when there were none. Absent for online A/B and for programs compiled before it was recorded.",
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
  uncacheable: Type.Optional(
    Type.Integer({
      description:
        "LM calls sent but never stored: the request or answer held a known secret, or the answer was empty.",
    }),
  ),
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
    schema_version: Type.Union([Type.Literal(1), Type.Literal(2)], {
      description: "2 adds held-out evidence (ab.heldout, fdr); version 1 reports stay readable.",
    }),
    tool: Type.Object({ name: Type.Literal("hybrid-pipeline"), version: Type.String() }),
    workflow: Type.String(),
    file: Type.String({ description: "Pipeline file, relative to the working directory." }),
    mode: ExecutionModeSchema,
    mode_source: ModeSourceSchema,
    provider: Type.String(),
    simulated: Type.Boolean({ description: "true under the offline sim provider." }),
    seed: Type.Optional(
      Type.Integer({
        description:
          "Seed of the online allocation and the A/B statistics; `run --seed` with it repeats the run's routes.",
      }),
    ),
    seed_source: Type.Optional(SeedSourceSchema),
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
    fdr: Type.Optional(FdrSchema),
    baseline: Type.Optional(BaselineSchema),
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
