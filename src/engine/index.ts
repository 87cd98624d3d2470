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
  type LockWait,
} from "../cache/index.js";
/** Runs a workflow's steps in order and returns the run report; `RunOptions` says how, `StepEvent` reports progress. */
export { runWorkflow, type RunOptions, type StepEvent } from "./run-workflow.js";
/** Clock, seeded RNG and logger passed to every pure function; `createRunContext` for production runs. */
export {
  createRunContext,
  createSeededRandom,
  type Logger,
  type RunContext,
} from "./run-context.js";
/** The run's seed: `--seed`, else the CI run id and attempt, else a random draw; written in the report. */
export { resolveRunSeed, type RunSeed } from "./run-seed.js";
/** `{{...}}` templates and `condition:` expressions, as pipeline_ex evaluates them. */
export { renderTemplate } from "./template.js";
export { evaluateCondition } from "./condition.js";
export { evaluateExpression, ExpressionError } from "./expression.js";
/** The execution mode a run uses: the run option, else `hybrid_config.mode`, else `dspy_config` flags, else traditional. */
export { resolveExecutionMode } from "./hybrid/resolve-mode.js";
/** What a run would spend on compiling and evaluating (per step and in total), projected without sending. */
export { projectRun, type RunProjection } from "./project-run.js";
/** A projection's calls by purpose, tokens and dollars (what `--dry-run` and the job summary print). */
export type { CallProjection } from "../optimize/index.js";
/** The model a step asks for, as the engine resolves it (claude_options.model, gemini's model, defaults). */
export { stepModel } from "./step-model.js";
/** A program `optimize` compiled and the cache key a later run finds it by (`ReadyRun.unsavedPrograms`). */
export type { CompiledKey } from "./saved-programs.js";
