/** Types of a pipeline file, derived from the schema (one source): the file, the `workflow:` map, steps, prompt parts. */
export type { Workflow } from "./workflow-schema.js";
/** A step (discriminated on `type`), its type names, and steps nested in loops or inline pipelines. */
export type { Step, StepType, NestedStep } from "./step-schema.js";
/** A step's `condition:` (a string expression or an and/or/not map). */
export type { Condition } from "./prompt-schema.js";
/** Our additions: `dspy_config`, `hybrid_config`, step `signature` and `metric`, execution modes. */
export type {
  DspyConfig,
  HybridConfig,
  SignatureSpec,
  SignatureField,
  MetricSpec,
  ExecutionMode,
} from "./dspy-schema.js";
/** A problem found in a pipeline file (file:line:col, message, hint) and its one-line rendering. */
export { formatProblem, type Problem, type ProblemCode } from "./problem.js";
/** Enumerations of the format: execution modes, optimizer names, optimization frequencies. */
export { executionModes, optimizerNames, optimizationFrequencies } from "./dspy-schema.js";
/** True when steps of this type call a language model. */
export { isLlmStepType, stepTypes } from "./step-types.js";
/** The published JSON Schema (draft 2020-12, plain JSON, shared parts under `$defs`) and its `$id`. */
export { pipelineJsonSchema, pipelineSchemaId } from "./pipeline-json-schema.js";
/** The TypeBox schemas of our additions `dspy_config` and `hybrid_config`. */
export { DspyConfigSchema, HybridConfigSchema } from "./dspy-schema.js";
/** Loads a pipeline file (lenient, or `strict` = pipeline_ex's own loader), collecting positioned problems. */
export { loadWorkflowFile, loadWorkflowText, type LoadResult } from "./load-workflow.js";
/** Claude options of pipeline_ex's presets (development, production, analysis, chat, test). */
export { claudePresets } from "./claude-presets.js";
/** Renders `docs/configuration.md` and `schema/pipeline.schema.json` from the schema (`npm run schema`). */
export { renderConfigurationDocs, renderPipelineSchemaJson } from "./render-configuration-docs.js";
/** The closest of some candidates within edit distance 2, for "did you mean" hints. */
export { closestMatch } from "./suggest.js";
/** Strict text decoding of a file's bytes: text, "not a text file", or "not UTF-8 text: byte offset N". */
export { decodeText, notTextMessage, type DecodedText } from "./text-file.js";
/** Every `{{inputs.NAME}}` a value refers to (nested inline pipelines left out), with its data path. */
export { inputReferences } from "./inputs-check.js";
