/** The Probot app (`ApplicationFunction`): install, push, `/hybrid-pipeline migrate`, closed-PR memory. */
export { hybridPipelineApp, migrateCommand } from "./app.js";
/** Starts the webhook server (`npm run bot`) from Probot's standard environment. */
export { startBotServer, webhooksPath, BotConfigurationError } from "./bot-server.js";
/** Runs the app once over one repository with a job token (scheduled workflow entry). */
export { runAppOnce, type RunOnceOptions } from "./action-adapter.js";
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
