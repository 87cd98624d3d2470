import { executionModeValues, stringEnum } from "../report/index.js";
import { Type, type Static } from "@sinclair/typebox";

const closed = { additionalProperties: false } as const;

/** The four execution modes (DESIGN.md "Execution modes"). */
export const executionModes = executionModeValues;
/** A workflow's (or a run's) execution mode. */
export type ExecutionMode = (typeof executionModes)[number];

/** Optimizer names accepted by `dspy_config.evaluation_mode`. */
export const optimizerNames = [
  "labeled_few_shot",
  "bootstrap_few_shot",
  "bootstrap_few_shot_random_search",
  "copro",
  "mipro",
] as const;
/** How often a compiled program is re-optimized. */
export const optimizationFrequencies = [
  "daily",
  "weekly",
  "monthly",
  "on_change",
  "never",
] as const;
/** Field types of a signature. */
export const fieldTypes = [
  "string",
  "number",
  "boolean",
  "list",
  "object",
  "json",
  "literal",
] as const;
/** Metric names (`metric:` on a step). */
export const metricNames = [
  "exact_match",
  "contains",
  "token_f1",
  "json_field_match",
  "regex",
  "json_valid",
  "llm_judge",
  "composite",
] as const;

/** One input or output field of a signature. */
export const SignatureFieldSchema = Type.Object(
  {
    name: Type.String({
      pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
      description: "Field name (an identifier).",
    }),
    type: Type.Optional(stringEnum(fieldTypes, { default: "string", description: "Value type." })),
    description: Type.Optional(
      Type.String({ description: "What the field holds; shown to the model." }),
    ),
    template: Type.Optional(
      Type.String({
        description:
          "Where an input's value comes from at run time, e.g. `{{steps.analyze.result}}` (the step's answer, as pipeline_ex writes it; `{{steps.analyze.result.field}}` a field of it).",
      }),
    ),
    options: Type.Optional(
      Type.Array(Type.String(), { description: "Allowed values of a `literal` field." }),
    ),
  },
  { ...closed, description: "A signature field." },
);
export type SignatureField = Static<typeof SignatureFieldSchema>;

/** The object form of a signature. */
export const SignatureObjectSchema = Type.Object(
  {
    instructions: Type.Optional(
      Type.String({ description: "The task instructions (the optimizer may rewrite them)." }),
    ),
    input_fields: Type.Optional(
      Type.Array(SignatureFieldSchema, {
        description: "Inputs; default: the rendered prompt as the single input `prompt`.",
      }),
    ),
    output_fields: Type.Optional(
      Type.Array(SignatureFieldSchema, {
        description: "Outputs; default: a single string output `output`.",
      }),
    ),
  },
  { ...closed, description: "DSPy signature: instructions, inputs and outputs." },
);

/** A signature: DSPy string form (`"code, context -> review"`) or the object form. */
export const SignatureSpecSchema = Type.Union(
  [Type.String({ pattern: "->" }), SignatureObjectSchema],
  {
    description:
      'DSPy signature: `"code, context -> review"` or `{instructions, input_fields, output_fields}`.',
  },
);
export type SignatureSpec = Static<typeof SignatureSpecSchema>;

const metricObjectProperties = {
  type: stringEnum(metricNames, { description: "Metric name." }),
  fields: Type.Optional(
    Type.Array(Type.String(), { description: "`json_field_match`: the fields compared." }),
  ),
  pattern: Type.Optional(
    Type.String({ description: "`regex`: the pattern an output must match." }),
  ),
  rubric: Type.Optional(
    Type.String({ description: "`llm_judge`: what the judge scores (0-10, mapped to 0-1)." }),
  ),
  model: Type.Optional(Type.String({ description: "`llm_judge`: the judge's model." })),
  pass_threshold: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.7,
      description: "`llm_judge`: score counted as a pass.",
    }),
  ),
};

/** A metric: a name, or `{type: name, ...options}`; `composite` weighs several. */
export const MetricSpecSchema = Type.Union(
  [
    stringEnum(metricNames),
    Type.Object(
      {
        ...metricObjectProperties,
        metrics: Type.Optional(
          Type.Array(
            Type.Object(
              {
                ...metricObjectProperties,
                weight: Type.Optional(Type.Number({ minimum: 0, default: 1 })),
              },
              closed,
            ),
            { description: "`composite`: the weighted metrics." },
          ),
        ),
      },
      closed,
    ),
  ],
  {
    default: "token_f1",
    description: "How a step's output is scored against the expected output (0-1).",
  },
);
export type MetricSpec = Static<typeof MetricSpecSchema>;

/** `workflow.dspy_config`. */
export const DspyConfigSchema = Type.Object(
  {
    optimization_enabled: Type.Optional(
      Type.Boolean({
        default: false,
        description: "Compile optimized programs for steps with a signature.",
      }),
    ),
    hybrid_mode: Type.Optional(
      Type.Boolean({
        default: false,
        description: "pipeline_ex's flag: selects the `hybrid` mode.",
      }),
    ),
    evaluation_mode: Type.Optional(
      stringEnum(optimizerNames, { default: "bootstrap_few_shot", description: "The optimizer." }),
    ),
    training_data_path: Type.Optional(
      Type.String({
        default: "training_data",
        description:
          "Directory with `<step_name>.jsonl|.json|.yaml`, or one file (relative to the working directory).",
      }),
    ),
    cache_enabled: Type.Optional(
      Type.Boolean({
        default: true,
        description: "Cache compiled programs and LM calls; an explicit `false` wins.",
      }),
    ),
    fallback_strategy: Type.Optional(
      stringEnum(["traditional", "fail"] as const, {
        default: "traditional",
        description: "What to do when the optimized program is unavailable.",
      }),
    ),
    optimization_frequency: Type.Optional(
      stringEnum(optimizationFrequencies, {
        default: "weekly",
        description: "How long a compiled program stays fresh.",
      }),
    ),
    optimizer_options: Type.Optional(
      Type.Object(
        {
          max_bootstrapped_demos: Type.Optional(Type.Integer({ minimum: 0, default: 4 })),
          max_labeled_demos: Type.Optional(Type.Integer({ minimum: 0, default: 16 })),
          max_rounds: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
          num_candidate_programs: Type.Optional(Type.Integer({ minimum: 1, default: 8 })),
          seed: Type.Optional(Type.Integer({ default: 0 })),
          metric_threshold: Type.Optional(
            Type.Number({
              description:
                "A bootstrap trace becomes a demo when its score reaches this (default: the metric's pass mark).",
            }),
          ),
          breadth: Type.Optional(
            Type.Integer({ minimum: 1, default: 4, description: "copro: proposals per round." }),
          ),
          depth: Type.Optional(
            Type.Integer({ minimum: 1, default: 2, description: "copro: rounds of proposals." }),
          ),
          auto: Type.Optional(
            Type.Union([stringEnum(["light", "medium", "heavy"] as const), Type.Null()], {
              default: "light",
              description:
                "mipro: DSPy 3.0's run size (candidates, validation size, trials); null uses num_candidates and num_trials.",
            }),
          ),
          num_candidates: Type.Optional(
            Type.Integer({
              minimum: 1,
              description: "mipro with auto: null: instruction and demo-set candidates.",
            }),
          ),
          num_trials: Type.Optional(
            Type.Integer({
              minimum: 1,
              description:
                "mipro with auto: null: Bayesian-search trials (default: DSPy's formula).",
            }),
          ),
          minibatch_size: Type.Optional(
            Type.Integer({
              minimum: 1,
              default: 35,
              description: "mipro: validation examples a trial is scored on.",
            }),
          ),
          minibatch_full_eval_steps: Type.Optional(
            Type.Integer({
              minimum: 1,
              default: 5,
              description: "mipro: minibatch trials between full evaluations of the best so far.",
            }),
          ),
          view_data_batch_size: Type.Optional(
            Type.Integer({
              minimum: 1,
              default: 10,
              description: "mipro: training examples per data-summary observation call.",
            }),
          ),
        },
        { ...closed, description: "Optimizer settings (DSPy's names)." },
      ),
    ),
    test_fraction: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 0.9,
        default: 0.4,
        description:
          "Share of labelled examples held out as the test split (by a hash of each example's id, so adding examples never moves earlier ones). Only the test split (or cross-fitting) is evidence.",
      }),
    ),
    validation_fraction: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 0.9,
        default: 0.2,
        description: "Share of labelled examples the optimizer selects candidates on.",
      }),
    ),
    min_test_examples: Type.Optional(
      Type.Integer({
        minimum: 1,
        default: 20,
        description:
          "A test split smaller than this is replaced by k-fold cross-fitting (each example scored by a program compiled without it).",
      }),
    ),
    cross_fit_folds: Type.Optional(
      Type.Integer({ minimum: 2, default: 5, description: "k of the cross-fitting." }),
    ),
    min_labelled_examples: Type.Optional(
      Type.Integer({
        minimum: 2,
        default: 10,
        description: "Below this many labelled examples a step's verdict is `needs_more_data`.",
      }),
    ),
    evaluation_repeats: Type.Optional(
      Type.Integer({
        minimum: 1,
        default: 1,
        description:
          "Runs of each held-out example per arm, each with its own rollout id (bypasses the LM-call cache); with `evaluation_temperature` > 0 the report shows per-example pass rates, pass^k and flaky examples.",
      }),
    ),
    evaluation_temperature: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 2,
        default: 0,
        description: "Temperature of the held-out evaluation runs.",
      }),
    ),
    signatures: Type.Optional(
      Type.Record(Type.String(), SignatureObjectSchema, {
        description: "Signatures per step name (migration writes them here).",
      }),
    ),
  },
  { ...closed, description: "DSPy optimization settings (hybrid-pipeline)." },
);
export type DspyConfig = Static<typeof DspyConfigSchema>;

/** `workflow.hybrid_config`. */
export const HybridConfigSchema = Type.Object(
  {
    mode: Type.Optional(
      stringEnum(executionModes, {
        default: "traditional",
        description: "Execution mode: " + executionModes.join(", ") + ".",
      }),
    ),
    intelligent_routing: Type.Optional(
      Type.Boolean({
        default: true,
        description: "Route per step from the measured benefit (hybrid mode).",
      }),
    ),
    ab_testing_enabled: Type.Optional(
      Type.Boolean({
        default: true,
        description: "Run both variants when the benefit is uncertain.",
      }),
    ),
    performance_threshold: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        default: 0.1,
        description: "Minimum quality gain (0-1) for the optimized variant to be preferred.",
      }),
    ),
    fallback_enabled: Type.Optional(
      Type.Boolean({
        default: true,
        description: "Fall back to traditional on failure; an explicit `false` wins.",
      }),
    ),
    optimized_timeout_ms: Type.Optional(
      Type.Integer({
        minimum: 1,
        default: 60000,
        description: "Per-step timeout of the optimized variant (ms).",
      }),
    ),
    stale_program: Type.Optional(
      stringEnum(["use", "recompile", "fallback"] as const, {
        default: "use",
        description:
          "A committed program (.hybrid-pipeline/programs/) whose inputs changed since it was compiled: use it anyway (with a warning), recompile it, or fall back to the step's own prompt.",
      }),
    ),
    online_judge: Type.Optional(
      Type.Object(
        {
          model: Type.Optional(
            Type.String({
              description:
                "The judge's model (default: the step's model). Its calls count as `lm_calls.judge`.",
            }),
          ),
          rubric: Type.Optional(
            Type.String({
              default: "Which answer better does what the step asks for this input?",
              description:
                "What the judge prefers; it sees the input and both answers, no reference.",
            }),
          ),
        },
        {
          ...closed,
          description:
            "Compares the two answers of an online A/B pair (answer order randomised, ties allowed). Without it the A/B route is a canary and pays for no pairs.",
        },
      ),
    ),
  },
  { ...closed, description: "Hybrid execution settings (hybrid-pipeline)." },
);
export type HybridConfig = Static<typeof HybridConfigSchema>;
