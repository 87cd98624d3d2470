/** The Action's entry logic: validate, restore the cache, run, save, publish; dependencies injected. */
export { runAction, type ActionResult } from "./run-action.js";
/** What `runAction` needs from outside: `@actions/core`, the event, the cache service, GitHub, the engine. */
export type {
  ActionCore,
  ActionDeps,
  ActionEvent,
  LoadedPipeline,
  PipelineRunner,
  RunRequest,
} from "./action-deps.js";
/** Parses and validates the Action's inputs (`shard` as `i/n`, enums, numbers), collecting every problem. */
export {
  parseInputs,
  parseShard,
  secretsOf,
  type ActionInputs,
  type FailOn,
  type InputReader,
  type InputsOutcome,
  type ProviderChoice,
  type ProviderName,
  type Shard,
} from "./inputs.js";
/** Restores and saves the cache directory with a unique key per run, restoring the newest earlier entry by prefix. */
export {
  cacheKeys,
  hashFiles,
  restoreCacheDirectory,
  saveCacheDirectory,
  type CacheApi,
  type CacheDirectory,
  type CacheKeyParts,
  type RestoreOutcome,
  type SaveOutcome,
} from "./cache-directory.js";
/** `@actions/cache` as a {@link CacheApi} that tells a failing service from a miss. */
export { actionsCacheApi } from "./actions-cache-api.js";
/** Creates or edits the one pull request comment carrying a hidden marker; 403 → `forbidden`. */
export {
  ensureStickyComment,
  type CommentsApi,
  type StickyCommentOutcome,
  type StickyCommentTarget,
} from "./sticky-comment.js";
/** Problems → annotations at file, line and column. */
export { annotateProblems, type AnnotationSink } from "./annotations.js";
/** The Action's outputs, the `fail-on` decision (regression: optimized significantly worse) and budget-stop notes. */
export {
  actionOutputs,
  budgetStops,
  failures,
  isRegression,
  overallRecommendation,
  qualityDelta,
  type ActionOutputs,
} from "./outputs.js";
/** Pipeline files matched by globs, and one matrix shard's share of them. */
export { findFiles, shardFiles } from "./find-files.js";
/** The engine layers as a {@link PipelineRunner}. */
export { createEngineRunner } from "./engine-runner.js";
