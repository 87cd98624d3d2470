/** Runs a workflow's steps in order and returns the run report; `RunOptions` says how, `StepEvent` reports progress. */
export { runWorkflow, type RunOptions, type StepEvent } from "./run-workflow.js";
/** Clock, seeded RNG and logger passed to every pure function; `createRunContext` for production runs. */
export {
  createRunContext,
  createSeededRandom,
  silentLogger,
  type Logger,
  type RunContext,
} from "./run-context.js";
/** The run's seed: `--seed`, else the CI run id and attempt, else a random draw; written in the report. */
export { resolveRunSeed, type RunSeed } from "./run-seed.js";
/** The LLM-step seam: the default (traditional) runner, the result map it builds, and the types a replacement implements. */
export { executeLlmStep, llmResult } from "./step-executors/index.js";
export {
  StepFailure,
  type ExecContext,
  type LlmStepOutcome,
  type LlmStepRunner,
  type RawStep,
  type StepExecutor,
} from "./exec-context.js";
/** Builds a step's prompt from its parts (static, file, previous_response, session) and formats step results as prompts see them. */
export { buildPrompt, formatResult } from "./prompt-builder.js";
/** Turns a step and its prompt into a provider-neutral `LmRequest` (model aliases, system prompt, token budget). */
export { buildLmRequest } from "./llm-request.js";
/** `{{...}}` templates and `condition:` expressions, as pipeline_ex evaluates them. */
export { renderTemplate, interpolateData, type TemplateScope } from "./template.js";
export { evaluateCondition } from "./condition.js";
export { evaluateExpression, ExpressionError } from "./expression.js";
/** Assembles the run report from per-step records. */
export { buildRunReport, stepReport, type StepRecord, type RunSummary } from "./report-builder.js";
/** The execution mode a run uses: the run option, else `hybrid_config.mode`, else `dspy_config` flags, else traditional. */
export { resolveExecutionMode } from "./hybrid/resolve-mode.js";
/** What a run would spend on compiling and evaluating (per step and in total), projected without sending. */
export { projectRun, stepModel, type RunProjection } from "./project-run.js";
