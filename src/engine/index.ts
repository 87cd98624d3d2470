/**
 * The one way a face opens a run: `loadPipeline` loads and validates a file, `openRun` chooses the
 * provider, builds and wraps the model, opens the cache tiers, gathers secrets and load warnings.
 */
export {
  loadPipeline,
  openRun,
  type CompileRequest,
  type LoadedPipeline,
  type OpenRunOptions,
  type OpenRunOutcome,
  type ReadyRun,
  type StartOptions,
} from "./open-run.js";
/** The provider choice (`auto` decided once, fork fallback), the names `--provider` and the Action accept, and the keys to redact from an environment. */
export {
  chooseProvider,
  isProviderChoice,
  providerChoices,
  providerSecrets,
  type ProviderChoice,
  type ProviderDecision,
} from "../providers/index.js";
/** The `cache` verb's view of the tiers: opened one by one for stats, list, invalidate and prune. */
export { openCacheTiers, type CacheTiers, type CacheTiersOptions } from "./open-cache-tiers.js";
/** What the `cache` verb reads of the cache layer: defaults, the tier port and error, and `optimization_frequency` ages. */
export {
  CacheTierError,
  DEFAULT_CACHE_DIR,
  isOptimizationFrequency,
  maxAgeFor,
  REDIS_URL_ENV,
  type CacheTier,
  type DiskTier,
  type ListedEntry,
} from "../cache/index.js";
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
