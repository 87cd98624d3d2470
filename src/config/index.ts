/** Types of a pipeline file, derived from the schema (one source): the file, the `workflow:` map, steps, prompt parts. */
export type { Workflow, WorkflowFile, Defaults } from "./workflow-schema.js";
/** A step (discriminated on `type`), its type names, and steps nested in loops or inline pipelines. */
export type { Step, StepType, NestedStep } from "./step-schema.js";
/** A prompt part (`static`, `file`, `previous_response`, `session_context`, `claude_continue`) and a `condition:`. */
export type { PromptPart, Condition } from "./prompt-schema.js";
/** Our additions: `dspy_config`, `hybrid_config`, step `signature` and `metric`, execution modes. */
export type {
  DspyConfig,
  HybridConfig,
  SignatureSpec,
  SignatureField,
  MetricSpec,
  ExecutionMode,
} from "./dspy-schema.js";
/** Claude options, presets and Gemini token budgets. */
export type { ClaudeOptions, ClaudePreset, TokenBudget } from "./claude-options-schema.js";
/** A problem found in a pipeline file (file:line:col, message, hint) and its one-line rendering. */
export { formatProblem, type Problem, type ProblemCode } from "./problem.js";
/** Enumerations of the format: execution modes, optimizer names, optimization frequencies, field types, metric names. */
export {
  executionModes,
  optimizerNames,
  optimizationFrequencies,
  fieldTypes,
  metricNames,
} from "./dspy-schema.js";
/** Step type lists: pipeline_ex's 15, test-only, LLM steps, and those hybrid-pipeline cannot run yet; `isLlmStepType`. */
export { stepTypes, testOnlyStepTypes, llmStepTypes, isLlmStepType } from "./step-types.js";
/** The TypeBox schemas of the file and the `workflow:` map (the single source of truth). */
export { WorkflowFileSchema, WorkflowSchema } from "./workflow-schema.js";
/** The published JSON Schema (draft 2020-12, plain JSON, shared parts under `$defs`) and its `$id`. */
export { pipelineJsonSchema, pipelineSchemaId } from "./pipeline-json-schema.js";
/** The TypeBox schema of one step (a discriminated `oneOf` on `type`). */
export { StepSchema } from "./step-schema.js";
/** The TypeBox schemas of our additions: `dspy_config`, `hybrid_config`, step `signature` and `metric`. */
export {
  DspyConfigSchema,
  HybridConfigSchema,
  SignatureSpecSchema,
  MetricSpecSchema,
} from "./dspy-schema.js";
/** Loads a pipeline file (lenient, or `strict` = pipeline_ex's own loader), collecting positioned problems. */
export {
  loadWorkflowFile,
  loadWorkflowText,
  type LoadOptions,
  type LoadResult,
} from "./load-workflow.js";
/** Claude options of pipeline_ex's presets (development, production, analysis, chat, test). */
export { claudePresets } from "./claude-presets.js";
/** Merges `workflow.defaults` (and presets) into steps as pipeline_ex does; `loadWorkflow*` already applies it. */
export { applyDefaults } from "./apply-defaults.js";
/** Renders `docs/configuration.md` and `schema/pipeline.schema.json` from the schema (`npm run schema`). */
export { renderConfigurationDocs, renderPipelineSchemaJson } from "./render-configuration-docs.js";
