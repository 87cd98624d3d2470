import { configPath, resolveBotConfig, type ConfigResult } from "./config.js";
import { hasStatus, type GitHub, type RepoRef } from "./github.js";

/** Reads `.github/hybrid-pipeline.yml` with Probot's config plugin; a broken file is data, not a crash. */
export async function loadConfig(octokit: GitHub, repo: RepoRef): Promise<ConfigResult> {
  try {
    const { config } = await octokit.config.get({ ...repo, path: configPath });
    return resolveBotConfig(Object.keys(config).length === 0 ? null : config);
  } catch (error) {
    if (hasStatus(error, 404) || !(error instanceof Error) || "status" in error) throw error;
    return { kind: "invalid", problems: [`${configPath}: ${error.message}`] };
  }
}
