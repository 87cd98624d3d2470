import { isAbsolute, join } from "node:path";
import { chooseProvider } from "../engine/index.js";
import { mergeReports } from "../render/index.js";
import { redact, redactDeep, type RunReport } from "../report/index.js";
import type { ActionDeps } from "./action-deps.js";
import { applyBaseline } from "./baseline.js";
import {
  hashFiles,
  restoreCacheDirectory,
  saveCacheDirectory,
  type CacheDirectory,
  type RestoreOutcome,
} from "./cache-directory.js";
import { findFiles, shardFiles } from "./find-files.js";
import { parseInputs, secretsOf, type ActionInputs } from "./inputs.js";
import { actionOutputs, budgetStops, failures } from "./outputs.js";
import { publishReports } from "./publish.js";
import { readReports } from "./read-reports.js";
import { problemsSummary, runPipelines, validatePipelines } from "./run-pipelines.js";
import { writeProjection } from "./projection-summary.js";
import { isDefaultBranchRun } from "./programs-dir.js";

/** How the step ended (the process exit code follows `core.setFailed`). */
export type ActionResult =
  { kind: "succeeded"; reports: RunReport[] } | { kind: "failed"; reason: string };

function fail(deps: ActionDeps, secrets: string[], reason: string): ActionResult {
  deps.core.setFailed(redact(reason, secrets));
  return { kind: "failed", reason };
}

function setOutputs(deps: ActionDeps, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) deps.core.setOutput(name, value);
}

function resolveIn(workspace: string, path: string): string {
  return isAbsolute(path) ? path : join(workspace, path);
}

/**
 * Reports of the same workflow and file (a matrix's shards, read back in report-only use) become one, its
 * A/B statistics recomputed from all their pairs, so the comment shows one table per workflow.
 */
function mergeShards(
  deps: ActionDeps,
  shards: RunReport[],
): { reports: RunReport[]; notes: string[] } {
  const reports = mergeReports(shards);
  if (reports.length === shards.length) return { reports, notes: [] };
  const note = `${shards.length} reports merged into ${reports.length}: shards of the same workflow and file, A/B statistics recomputed from all their pairs.`;
  deps.core.info(note);
  return { reports, notes: [note] };
}

/** Merges shards, writes `report-path`, publishes the summary, comment and outputs, then applies `fail-on`. */
async function finish(
  deps: ActionDeps,
  inputs: ActionInputs,
  shards: RunReport[],
  runNotes: string[],
  secrets: string[],
  programsDir = "",
): Promise<ActionResult> {
  const merged = mergeShards(deps, shards);
  const mergeNotes = merged.notes;
  const reports = await applyBaseline(deps, inputs, merged.reports, secrets);
  await deps.writeFile(
    resolveIn(deps.workspace, inputs.reportPath),
    `${JSON.stringify(redactDeep(reports, secrets), null, 2)}\n`,
  );
  const stops = budgetStops(reports);
  for (const stop of stops) deps.core.warning(redact(stop, secrets));
  const notes = [...runNotes, ...mergeNotes, ...stops];
  const { comment } = await publishReports(deps, inputs, reports, notes, secrets);
  const url =
    comment.kind === "created" || comment.kind === "updated" || comment.kind === "unchanged"
      ? comment.url
      : "";
  setOutputs(deps, { ...actionOutputs(reports, inputs.reportPath, url, programsDir) });
  const failed = failures(reports, inputs.failOn);
  if (failed.length > 0)
    return fail(deps, secrets, `fail-on ${inputs.failOn}:\n${failed.join("\n")}`);
  return { kind: "succeeded", reports };
}

/** The providers layer reads keys from the environment: inputs win over variables the workflow set. */
function providerEnv(inputs: ActionInputs, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  if (inputs.anthropicApiKey) env.ANTHROPIC_API_KEY = inputs.anthropicApiKey;
  if (inputs.geminiApiKey) {
    env.GEMINI_API_KEY = inputs.geminiApiKey;
    // GOOGLE_API_KEY wins over GEMINI_API_KEY when both are set (as in the SDK): the input must win.
    delete env.GOOGLE_API_KEY;
  }
  if (inputs.openaiApiKey) env.OPENAI_API_KEY = inputs.openaiApiKey;
  if (inputs.openaiBaseUrl) env.OPENAI_BASE_URL = inputs.openaiBaseUrl;
  return env;
}

async function restore(
  deps: ActionDeps,
  inputs: ActionInputs,
  dir: CacheDirectory,
  dependencies: string[],
): Promise<RestoreOutcome> {
  const run = `${deps.env.GITHUB_RUN_ID ?? "local"}-${deps.env.GITHUB_RUN_ATTEMPT ?? "1"}`;
  const parts = {
    prefix: inputs.cacheKeyPrefix,
    os: deps.env.RUNNER_OS ?? process.platform,
    inputsHash: await hashFiles(deps.workspace, dependencies),
    run,
  };
  const restored = await restoreCacheDirectory(deps.cacheApi, dir, parts, deps.env);
  if (restored.kind === "unavailable")
    deps.core.warning(`Running without the disk cache tier: ${restored.reason}`);
  else
    deps.core.info(
      restored.kind === "restored"
        ? `cache restored from ${restored.matchedKey}`
        : `cache miss (new key ${restored.key})`,
    );
  return restored;
}

/** Saves the directory; returns a note for the summary when the save was skipped or failed. */
async function save(
  deps: ActionDeps,
  dir: CacheDirectory,
  restored: RestoreOutcome,
): Promise<string | null> {
  const saved = await saveCacheDirectory(deps.cacheApi, dir, restored, deps.env);
  if (saved.kind === "saved") deps.core.info(`cache saved as ${saved.key}`);
  else if (saved.kind === "unchanged")
    deps.core.info("cache directory unchanged: not saving a new entry");
  else if (saved.kind === "skipped" && restored.kind !== "unavailable") {
    deps.core.info(`cache save skipped: ${saved.reason}`);
    return `cache: not saved (${saved.reason})`;
  } else if (saved.kind === "failed") {
    deps.core.warning(`cache save failed (the run's results are unaffected): ${saved.reason}`);
    return `cache: save failed (${saved.reason})`;
  }
  return null;
}

/**
 * Report-only use (a matrix's merge job, a trusted `workflow_run` job): publish report JSON made by other
 * jobs, shards merged, run nothing.
 */
async function publishOnly(
  deps: ActionDeps,
  inputs: ActionInputs,
  secrets: string[],
): Promise<ActionResult> {
  const read = await readReports(deps, inputs.report);
  if (read.kind === "invalid") return fail(deps, secrets, read.problems.join("\n"));
  return finish(
    deps,
    inputs,
    read.reports,
    [`Published by a trusted workflow_run job from ${read.files.length} report file(s).`],
    secrets,
  );
}

/**
 * The Action: validate every matched pipeline, restore the cache directory, run, save the cache,
 * publish the summary, the sticky PR comment, the report JSON and the outputs, then apply `fail-on`.
 */
export async function runAction(deps: ActionDeps): Promise<ActionResult> {
  const { core, workspace } = deps;
  const parsed = parseInputs((name) => core.getInput(name));
  if (parsed.kind === "invalid")
    return fail(deps, [], `Invalid inputs:\n${parsed.problems.join("\n")}`);
  const inputs = parsed.inputs;
  const secrets = secretsOf(inputs, deps.env);
  for (const secret of secrets) core.setSecret(secret);
  if (inputs.report.length > 0) return publishOnly(deps, inputs, secrets);

  const files = shardFiles(await findFiles(workspace, inputs.workflows), inputs.shard);
  if (files.length === 0) {
    core.warning(
      `No pipeline files matched ${inputs.workflows.join(", ")} (shard ${inputs.shard.index}/${inputs.shard.count}).`,
    );
    await deps.writeFile(resolveIn(workspace, inputs.reportPath), "[]\n");
    setOutputs(deps, actionOutputs([], inputs.reportPath, ""));
    return { kind: "succeeded", reports: [] };
  }
  const validation = await validatePipelines(deps.runner, files, core, workspace);
  if (validation.kind === "invalid") {
    await deps.writeSummary(redact(problemsSummary(validation.problems), secrets));
    return fail(
      deps,
      secrets,
      `${validation.problems.length} problem(s) in ${files.length} pipeline file(s); nothing was run. See the annotations.`,
    );
  }

  const env = providerEnv(inputs, deps.env);
  const cassetteDir = resolveIn(workspace, inputs.cassetteDir);
  const provider = chooseProvider(inputs.provider, env, { cassetteDir, whenUnusable: "fall_back" });
  core.info(provider.reason);
  const notes = [provider.reason];

  const cacheDir = { path: inputs.cacheDir, absolute: resolveIn(workspace, inputs.cacheDir) };
  const dependencies = validation.pipelines.flatMap((p) => [
    resolveIn(workspace, p.file),
    ...p.dependencies,
  ]);
  const restored = inputs.cache ? await restore(deps, inputs, cacheDir, dependencies) : null;
  if (restored?.kind === "unavailable")
    notes.push(`cache: disk tier unavailable (${restored.reason})`);

  const programsDir =
    inputs.programsDir && isDefaultBranchRun(deps.event, deps.env)
      ? resolveIn(workspace, inputs.programsDir)
      : null;
  await writeProjection(validation.pipelines, inputs, core, (markdown) =>
    deps.writeSummary(redact(markdown, secrets)),
  );
  const reports = await runPipelines(
    validation.pipelines,
    {
      mode: inputs.mode,
      provider: provider.provider,
      env,
      cassetteDir,
      concurrency: inputs.concurrency,
      budgetUsd: inputs.budgetUsd,
      compile: inputs.compile,
      // Without the Actions cache the directory still serves as the disk tier (persistent self-hosted workspaces).
      cacheDir: restored?.kind === "unavailable" ? null : cacheDir.absolute,
      programsDir,
      redisUrl: inputs.redisUrl || null,
      secrets,
    },
    core,
    deps.uptimeMs,
    deps.cpuMs,
  );

  const saveNote = restored ? await save(deps, cacheDir, restored) : null;
  if (saveNote) notes.push(saveNote);
  return finish(deps, inputs, reports, notes, secrets, programsDir ? inputs.programsDir : "");
}
