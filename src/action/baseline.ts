import { rm } from "node:fs/promises";
import { join } from "node:path";
import {
  compareWithBaseline,
  redactDeep,
  withoutBaseline,
  type RunReport,
} from "../report/index.js";
import type { ActionDeps } from "./action-deps.js";
import { cacheMode } from "./cache-directory.js";
import type { ActionInputs } from "./inputs.js";
import { isDefaultBranchRun } from "./programs-dir.js";

/** Where the baseline is written and restored, relative to the workspace (the cache service keys on it). */
export const BASELINE_DIR = ".hybrid-pipeline/baseline";
const BASELINE_FILE = "reports.json";

/** Events whose runs compare with the base branch. */
const PULL_REQUEST_EVENTS = new Set(["pull_request", "pull_request_target"]);

/** `<prefix>-baseline-<branch>-`: every saved baseline of a branch; the service restores the newest. */
export function baselineKeyPrefix(prefix: string, branch: string): string {
  return `${prefix}-baseline-${branch}-`;
}

/** The branch a default-branch run builds: `GITHUB_REF_NAME`, else `GITHUB_REF` without `refs/heads/`. */
function builtBranch(env: NodeJS.ProcessEnv): string | null {
  const ref = env.GITHUB_REF ?? "";
  const name = env.GITHUB_REF_NAME || (ref.startsWith("refs/heads/") ? ref.slice(11) : "");
  return name || null;
}

/** The pull request's base branch: the event's `pull_request.base.ref`, else `GITHUB_BASE_REF`. */
export function baseBranchOf(deps: Pick<ActionDeps, "event" | "env">): string | null {
  const pr = deps.event.payload.pull_request as { base?: { ref?: unknown } } | undefined;
  const ref = pr?.base?.ref;
  if (typeof ref === "string" && ref !== "") return ref;
  return deps.env.GITHUB_BASE_REF || null;
}

/**
 * The base branch in a `workflow_run` job (the fork-safe comment job of docs/action.md): the run's
 * pull request's base, or, for a fork's (GitHub leaves `pull_requests` empty), the base of the
 * pull request the `pull-request` input names, read from the API. Null when neither is known.
 */
async function workflowRunBase(deps: ActionDeps, inputs: ActionInputs): Promise<string | null> {
  const run = deps.event.payload.workflow_run as
    { pull_requests?: Array<{ base?: { ref?: unknown } }> } | undefined;
  const ref = run?.pull_requests?.[0]?.base?.ref;
  if (typeof ref === "string" && ref !== "") return ref;
  const [owner, repo] = (deps.env.GITHUB_REPOSITORY ?? "").split("/");
  if (inputs.pullRequest === null || !owner || !repo) return null;
  try {
    const github = await deps.github(inputs.githubToken);
    const { data } = await github.rest.pulls.get({ owner, repo, pull_number: inputs.pullRequest });
    return data.base.ref;
  } catch (error) {
    deps.core.info(
      `vs base: the base branch of pull request #${inputs.pullRequest} could not be read (${error instanceof Error ? error.message : String(error)})`,
    );
    return null;
  }
}

/** Saves a default-branch run's merged reports as the branch's baseline. Never throws: a failure is logged. */
async function saveBaseline(
  deps: ActionDeps,
  inputs: ActionInputs,
  reports: RunReport[],
  secrets: readonly string[],
): Promise<void> {
  const branch = builtBranch(deps.env);
  const sha = deps.env.GITHUB_SHA;
  const skip = (why: string) => deps.core.info(`baseline not saved: ${why}`);
  if (!branch || !sha) return skip("GITHUB_REF or GITHUB_SHA is not set");
  if (inputs.shard.count > 1)
    return skip("a shard saves no baseline (the job that merges the shards' reports does)");
  if (!(await deps.cacheApi.isAvailable()))
    return skip("the GitHub cache service is not available to this job");
  if (!cacheMode(deps.env).write) return skip("ACTIONS_CACHE_MODE does not allow writes");
  const key = `${baselineKeyPrefix(inputs.cacheKeyPrefix, branch)}${sha}`;
  await deps.writeFile(
    join(deps.workspace, BASELINE_DIR, BASELINE_FILE),
    `${JSON.stringify(redactDeep(reports, [...secrets]))}\n`,
  );
  const saved = await deps.cacheApi
    .save([BASELINE_DIR], key)
    .catch((error: unknown) => ({ kind: "failed" as const, reason: String(error) }));
  if (saved.kind === "saved") deps.core.info(`baseline saved as ${key}`);
  else skip(saved.reason);
}

type Restored =
  { kind: "hit"; sha: string | null; reports: unknown } | { kind: "none"; note: string };

/** Restores the newest baseline of `branch`, read as JSON; a note when there is none or it cannot be read. */
async function restoreBaseline(
  deps: ActionDeps,
  inputs: ActionInputs,
  branch: string,
): Promise<Restored> {
  const none = (note: string): Restored => ({ kind: "none", note });
  if (!(await deps.cacheApi.isAvailable()))
    return none(
      `no baseline: the GitHub cache service is not available to this job, so there is nothing saved from ${branch} to compare with.`,
    );
  if (!cacheMode(deps.env).read)
    return none(`no baseline: ACTIONS_CACHE_MODE does not allow reading the cache.`);
  const prefix = baselineKeyPrefix(inputs.cacheKeyPrefix, branch);
  const dir = join(deps.workspace, BASELINE_DIR);
  // A persistent workspace may hold an older restore: only what this restore brings counts.
  await rm(dir, { recursive: true, force: true });
  const result = await deps.cacheApi
    .restore([BASELINE_DIR], prefix, [prefix])
    .catch((error: unknown) => ({ kind: "failed" as const, reason: String(error) }));
  if (result.kind === "failed") return none(`no baseline: restoring it failed (${result.reason}).`);
  if (result.kind === "miss")
    return none(
      `No baseline for ${branch} yet: the first run of this workflow on ${branch} (push) saves one.`,
    );
  deps.core.info(`baseline restored from ${result.matchedKey}`);
  try {
    const text = await deps.readFile(join(dir, BASELINE_FILE));
    return {
      kind: "hit",
      sha: result.matchedKey.slice(prefix.length) || null,
      reports: JSON.parse(text) as unknown,
    };
  } catch (error) {
    return none(
      `the baseline ${result.matchedKey} could not be read (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}

/**
 * The base-branch comparison around a run's merged reports: a default-branch run (push, schedule,
 * dispatch) saves them as the branch's baseline; a pull-request run restores the base branch's newest
 * and adds `baseline` and each step's `vs_base`. Any other run, and any failure, leaves the reports as
 * they are (a failure as a note in `baseline`). Never throws.
 */
export async function applyBaseline(
  deps: ActionDeps,
  inputs: ActionInputs,
  reports: RunReport[],
  secrets: readonly string[],
): Promise<RunReport[]> {
  if (reports.length === 0) return reports;
  if (isDefaultBranchRun(deps.event, deps.env)) {
    await saveBaseline(deps, inputs, reports, secrets);
    return reports;
  }
  const branch = PULL_REQUEST_EVENTS.has(deps.event.name)
    ? baseBranchOf(deps)
    : deps.event.name === "workflow_run"
      ? await workflowRunBase(deps, inputs)
      : null;
  if (!branch) return reports;
  const restored = await restoreBaseline(deps, inputs, branch);
  if (restored.kind === "none") {
    deps.core.info(restored.note);
    return withoutBaseline(reports, branch, restored.note);
  }
  return compareWithBaseline(reports, { branch, sha: restored.sha, reports: restored.reports });
}
