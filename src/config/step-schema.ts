import { stringEnum } from "../report/index.js";
import { Type, type Static, type TProperties } from "@sinclair/typebox";
import {
  ClaudeOptionsSchema,
  RetryConfigSchema,
  TokenBudgetSchema,
  claudePresetNames,
} from "./claude-options-schema.js";
import { MetricSpecSchema, SignatureSpecSchema } from "./dspy-schema.js";
import { ConditionSchema, PromptSchema } from "./prompt-schema.js";

const closed = { additionalProperties: false } as const;
const anyMap = (description: string) => Type.Record(Type.String(), Type.Unknown(), { description });

/** Steps nested in loops and inline pipelines; validated against the same step schema by `$ref`. */
export type NestedStep = { name: string; type: string } & Record<string, unknown>;
const NestedStepsSchema = Type.Array(Type.Unsafe<NestedStep>({ $ref: "#/$defs/step" }), {
  minItems: 1,
  description: "The steps to run.",
});

const common = {
  name: Type.String({ minLength: 1, description: "Unique step name; later steps refer to it." }),
  description: Type.Optional(Type.String({ description: "What the step does." })),
  condition: Type.Optional(ConditionSchema),
  output_to_file: Type.Optional(
    Type.String({ description: "Also save the step's output to this file." }),
  ),
  output_schema: Type.Optional(anyMap("JSON Schema the output must satisfy.")),
  role: Type.Optional(stringEnum(["brain", "muscle"] as const, { description: "Semantic role." })),
  execution_mode: Type.Optional(
    stringEnum(["traditional", "dspy_optimized", "hybrid"] as const, {
      description: "Forces this step's execution mode (hybrid-pipeline).",
    }),
  ),
  streaming: Type.Optional(anyMap("Streaming of large results (`enabled`, ...).")),
  lazy: Type.Optional(anyMap("Lazy evaluation of large data (`enabled`, ...).")),
  signature: Type.Optional(SignatureSpecSchema),
  metric: Type.Optional(MetricSpecSchema),
} satisfies TProperties;

const preset = Type.Optional(
  stringEnum(claudePresetNames, { description: "Claude preset merged under `claude_options`." }),
);
const claudeOptions = Type.Optional(ClaudeOptionsSchema);
const functions = Type.Optional(
  Type.Array(Type.String(), { description: "Names of `gemini_functions` the model may call." }),
);
const model = Type.Optional(
  Type.String({ description: "Model (default: `defaults.gemini_model`)." }),
);
const tokenBudget = Type.Optional(TokenBudgetSchema);

function step<T extends string, P extends TProperties>(
  type: T,
  description: string,
  properties: P,
) {
  return Type.Object(
    { ...common, type: Type.Literal(type), ...properties },
    { ...closed, description },
  );
}

const ClaudeTaskSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ description: "Task id." })),
    task_id: Type.Optional(Type.String({ description: "Task id (claude_batch)." })),
    prompt: PromptSchema,
    claude_options: claudeOptions,
    output_to_file: Type.Optional(Type.String()),
    condition: Type.Optional(ConditionSchema),
  },
  { ...closed, description: "One task." },
);

const stepSchemas = [
  step("claude", "A Claude call.", { claude_options: claudeOptions, prompt: PromptSchema }),
  step("gemini", "A Gemini call.", {
    model,
    token_budget: tokenBudget,
    functions,
    prompt: PromptSchema,
  }),
  step("parallel_claude", "Several Claude tasks in parallel.", {
    parallel_tasks: Type.Array(ClaudeTaskSchema, { description: "The tasks." }),
  }),
  step("gemini_instructor", "Structured output from Gemini.", {
    model,
    token_budget: tokenBudget,
    functions,
    schema: Type.Optional(anyMap("Output structure.")),
    validation_mode: Type.Optional(stringEnum(["strict", "loose"] as const)),
    prompt: PromptSchema,
  }),
  step("claude_smart", "Claude with a preset.", {
    preset,
    environment_aware: Type.Optional(
      Type.Boolean({ description: "Pick the preset from the environment." }),
    ),
    claude_options: claudeOptions,
    prompt: PromptSchema,
  }),
  step("claude_session", "A persistent Claude session.", {
    session_config: Type.Optional(
      anyMap(
        "session_name, persist, continue_on_restart, checkpoint_frequency, max_turns, description.",
      ),
    ),
    claude_options: claudeOptions,
    prompt: PromptSchema,
  }),
  step("claude_extract", "Claude with content extraction.", {
    preset,
    extraction_config: Type.Optional(
      anyMap(
        "use_content_extractor, format, post_processing, max_summary_length, include_metadata.",
      ),
    ),
    claude_options: claudeOptions,
    prompt: PromptSchema,
  }),
  step("claude_batch", "A batch of Claude tasks.", {
    preset,
    batch_config: Type.Optional(anyMap("max_parallel, timeout_per_task, consolidate_results.")),
    tasks: Type.Optional(
      Type.Array(ClaudeTaskSchema, { description: "The tasks (or give `prompt`)." }),
    ),
    claude_options: claudeOptions,
    prompt: Type.Optional(PromptSchema),
  }),
  step("claude_robust", "Claude with retries and fallback.", {
    preset,
    retry_config: Type.Optional(RetryConfigSchema),
    claude_options: claudeOptions,
    prompt: PromptSchema,
  }),
  step("set_variable", "Sets variables.", {
    variables: anyMap("Variable assignments; values may use `{{...}}`."),
    scope: Type.Optional(
      stringEnum(["global", "local", "session"] as const, { default: "global" }),
    ),
  }),
  step("for_loop", "Runs steps for each item.", {
    iterator: Type.String({ description: "Loop variable name." }),
    data_source: Type.Union([Type.String(), Type.Array(Type.Unknown())], {
      description: "What to iterate over.",
    }),
    parallel: Type.Optional(Type.Boolean({ default: false })),
    max_parallel: Type.Optional(Type.Integer({ minimum: 1 })),
    batch_size: Type.Optional(Type.Integer({ minimum: 1 })),
    break_on_error: Type.Optional(Type.Boolean()),
    steps: NestedStepsSchema,
  }),
  step("while_loop", "Runs steps while a condition holds.", {
    max_iterations: Type.Optional(Type.Integer({ minimum: 1 })),
    timeout_seconds: Type.Optional(Type.Integer({ minimum: 1 })),
    steps: NestedStepsSchema,
  }),
  step("data_transform", "Transforms data.", {
    input_source: Type.Optional(Type.String({ description: "Data source." })),
    operations: Type.Array(
      anyMap("operation, field, condition, expression, function, join_key, order, ..."),
      { description: "Operations, in order." },
    ),
    output_field: Type.Optional(Type.String({ description: "Result variable." })),
  }),
  step("file_ops", "File operations.", {
    operation: Type.String({ description: "copy, move, delete, validate, list, convert." }),
    source: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
    destination: Type.Optional(Type.String()),
    files: Type.Optional(Type.Array(anyMap("path, must_exist, must_be_dir, min_size, max_size."))),
    format: Type.Optional(Type.String()),
    pattern: Type.Optional(Type.String()),
    recursive: Type.Optional(Type.Boolean()),
    processor: Type.Optional(Type.Unknown()),
  }),
  step("pipeline", "Runs a nested pipeline.", {
    pipeline_file: Type.Optional(Type.String({ description: "Nested pipeline file." })),
    pipeline_ref: Type.Optional(Type.String({ description: "Registry reference." })),
    pipeline: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String()),
          description: Type.Optional(Type.String()),
          steps: NestedStepsSchema,
        },
        { ...closed, description: "Inline pipeline." },
      ),
    ),
    inputs: Type.Optional(anyMap("Variables passed to the nested pipeline.")),
    outputs: Type.Optional(
      Type.Array(
        Type.Union([
          Type.String(),
          Type.Object({ path: Type.String(), as: Type.String() }, closed),
        ]),
        { description: "Results taken back." },
      ),
    ),
    config: Type.Optional(
      anyMap(
        "inherit_context, inherit_providers, inherit_functions, workspace_dir, timeout_seconds, max_depth, ...",
      ),
    ),
  }),
  step("test_echo", "Echoes `value` (pipeline_ex's test environment only).", {
    value: Type.Optional(Type.Unknown()),
  }),
];

const StepUnion = Type.Union(stepSchemas);

/** One step, discriminated on `type`. */
export const StepSchema = Type.Unsafe<Static<typeof StepUnion>>({
  type: "object",
  oneOf: StepUnion.anyOf,
  discriminator: { propertyName: "type" },
  description: "A step; `type` selects its fields.",
});
export type Step = Static<typeof StepSchema>;
/** Every step type the schema describes (pipeline_ex's 15 and `test_echo`). */
export type StepType = Step["type"];
