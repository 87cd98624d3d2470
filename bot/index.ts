/** The Probot app (`ApplicationFunction`): install, push, `/hybrid-pipeline migrate`, closed-PR memory. */
export { hybridPipelineApp, migrateCommand } from "./app.js";
/** Starts the webhook server (`npm run bot`) from Probot's standard environment. */
export { startBotServer, webhooksPath, BotConfigurationError } from "./bot-server.js";
/** Runs the app once over one repository with a job token (scheduled workflow entry). */
export { runAppOnce, type RunOnceOptions } from "./action-adapter.js";
/** Proposes a job's compiled program files in the promotion pull request (scheduled workflow entry). */
export { promoteProgramsOnce, readProgramsDir, PromotionConfigError } from "./promote-once.js";
/** Probot's Octokit with bounded rate-limit retries, and the throttle handlers it uses. */
export { BotOctokit, boundedThrottle, maxRateLimitRetries } from "./octokit-defaults.js";
/** `.github/hybrid-pipeline.yml`: path, schema, defaults. */
export {
  configPath,
  resolveBotConfig,
  BotConfigSchema,
  type BotConfig,
  type ConfigResult,
} from "./config.js";
/** One migration run over a repository, and the content hash that makes it idempotent. */
export {
  ensureMigration,
  contentHash,
  type MigrationRun,
  type Trigger,
} from "./ensure-migration.js";
/** The migration pull request's body and its hidden marker. */
export { renderPrBody, hashOfPrBody, type PrBodyInput } from "./pr-body.js";
/** One promotion run: the programs artifact's supported program files into one pull request. */
export { ensurePromotion, promotionBranch, type PromotionRun } from "./ensure-promotion.js";
/** The artifact name the app downloads from a workflow run, and its reader. */
export { programsArtifact, downloadProgramsArtifact } from "./program-artifact.js";
/** Held-out evidence of a program file, and the rule that it supports the program. */
export { programEvidence, supportsProgram, type ProgramEvidence } from "./program-evidence.js";
