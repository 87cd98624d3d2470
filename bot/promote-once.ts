import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { ensurePromotion, type PromotionRun } from "./ensure-promotion.js";
import type { GitHub } from "./github.js";
import { loadConfig } from "./load-config.js";
import { jobProbot, type RunOnceOptions } from "./action-adapter.js";

/** The configuration file could not be read: nothing was proposed. */
export class PromotionConfigError extends Error {
  readonly code = "invalid_config";
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "PromotionConfigError";
  }
}

/** Every file under `dir`, by its path relative to `dir` with `/` separators (the artifact's shape). */
export async function readProgramsDir(dir: string): Promise<Map<string, Buffer>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, Buffer>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    files.set(relative(dir, path).split(sep).join("/"), await readFile(path));
  }
  return files;
}

/**
 * The scheduled-Action entry of the promotion: the program files a job compiled (`optimize --write`
 * into `programsDir`) go into the repository's one promotion pull request, exactly as the app does
 * with a run's `hybrid-pipeline-programs` artifact.
 * @throws PromotionConfigError when `.github/hybrid-pipeline.yml` is invalid.
 */
export async function promoteProgramsOnce(
  options: Omit<RunOnceOptions, "app"> & { programsDir: string },
): Promise<PromotionRun> {
  const { owner, name: repo, probot } = jobProbot(options);
  const octokit: GitHub = await probot.auth();
  const files = await readProgramsDir(options.programsDir);
  const config = await loadConfig(octokit, { owner, repo });
  if (config.kind === "invalid") throw new PromotionConfigError(config.problems);
  const { data } = await octokit.rest.repos.get({ owner, repo });
  const run = await ensurePromotion(
    octokit,
    { owner, repo },
    config.config,
    data.default_branch,
    files,
  );
  probot.log.info({ outcome: run }, `hybrid-pipeline promotion: ${run.kind}`);
  return run;
}
