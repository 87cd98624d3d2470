import { createHash } from "node:crypto";
import { migrateSource } from "../src/migrate/index.js";
import { configPath, type BotConfig } from "./config.js";
import { findPipelineFiles } from "./find-pipeline-files.js";
import type { GitHub, RepoRef } from "./github.js";
import { ensureMigrationBranch, type BranchOutcome, type FileChange } from "./migration-branch.js";
import {
  ensureMigrationPullRequest,
  findMigrationPulls,
  type PullOutcome,
} from "./migration-pr.js";
import type { MigrateFile } from "./migration-memo.js";
import { escapeMarkdownInline as plain } from "../src/render/index.js";
import { ensureNotice } from "./notices.js";
import { onboardingPath, renderOnboardingWorkflow } from "./onboarding-workflow.js";
import { renderPrBody, type PrBodyInput } from "./pr-body.js";

/** Why the bot runs: automatic triggers respect a closed pull request, the command does not. */
export type Trigger = "install" | "push" | "command";

/** What one migration run did. */
export type MigrationRun =
  | { kind: "nothing-to-change"; refused: PrBodyInput["refused"] }
  | { kind: "closed-by-user"; pull: number }
  | { kind: "foreign-commit"; pull: number | null; author: string }
  | { kind: "done"; branch: BranchOutcome["kind"]; pull: PullOutcome; files: number };

/** Stable hash of the changes (not of the base): equal content → equal hash → no write. */
export function contentHash(changes: FileChange[]): string {
  const sorted = [...changes]
    .sort((a, b) => (a.path < b.path ? -1 : 1))
    .map((c) => [c.path, c.text]);
  return createHash("sha256").update(JSON.stringify(sorted)).digest("hex");
}

/** Migrates every pipeline file of the base tree; returns the changes and the body's facts. */
async function planMigration(
  octokit: GitHub,
  repo: RepoRef,
  baseSha: string,
  config: BotConfig,
  migrateFile: MigrateFile,
) {
  const scan = await findPipelineFiles(octokit, repo, baseSha, config);
  const facts: Pick<PrBodyInput, "migrated" | "refused" | "alreadyMigrated" | "scaffolds"> = {
    migrated: [],
    refused: [],
    alreadyMigrated: [],
    scaffolds: [],
  };
  const changes: FileChange[] = [];
  for (const file of scan.pipelines) {
    const outcome = migrateFile(file.text, file.path, file.sha, {
      ...config.migration,
      scaffoldTrainingData: config.scaffoldTrainingData,
    });
    // A YAML file that is not a pipeline is not ours to report.
    if (outcome.kind === "refused" && outcome.code !== "not_a_workflow")
      facts.refused.push({ file: file.path, reason: outcome.reason });
    if (outcome.kind === "already_migrated") facts.alreadyMigrated.push(file.path);
    if (outcome.kind !== "migrated") continue;
    facts.migrated.push({ file: file.path, added: outcome.added, steps: outcome.steps });
    changes.push({ path: file.path, text: outcome.text });
    for (const scaffold of outcome.scaffolds) {
      // Never overwrite data the repository already has.
      if (scan.paths.has(scaffold.path) || changes.some((c) => c.path === scaffold.path)) continue;
      changes.push(scaffold);
      facts.scaffolds.push(scaffold.path);
    }
  }
  const onboarding =
    config.onboarding && facts.migrated.length > 0 && !scan.paths.has(onboardingPath);
  if (onboarding)
    changes.push({
      path: onboardingPath,
      text: renderOnboardingWorkflow(facts.migrated.map((m) => m.file)),
    });
  return { changes, facts, treeSha: scan.treeSha, onboarding: onboarding ? onboardingPath : null };
}

/**
 * Brings the repository to its one migration pull request: plan from the default branch,
 * one commit on the bot's branch, one pull request found again by branch and marker.
 * Respects a pull request closed without merge unless `trigger` is the command.
 */
export async function ensureMigration(
  octokit: GitHub,
  repo: RepoRef,
  config: BotConfig,
  trigger: Trigger,
  defaultBranch: string,
  migrateFile: MigrateFile = (text, path, _sha, options) => migrateSource(text, path, options),
): Promise<MigrationRun> {
  const { data: ref } = await octokit.rest.git.getRef({ ...repo, ref: `heads/${defaultBranch}` });
  const baseSha = ref.object.sha;
  const plan = await planMigration(octokit, repo, baseSha, config, migrateFile);
  if (plan.changes.length === 0) return { kind: "nothing-to-change", refused: plan.facts.refused };

  const pulls = await findMigrationPulls(octokit, repo, config.branch);
  const latest = pulls[0];
  if (latest && latest.state === "closed" && !latest.merged && trigger !== "command")
    return { kind: "closed-by-user", pull: latest.number };
  const open = latest?.state === "open" ? latest : undefined;

  const hash = contentHash(plan.changes);
  const files = plan.facts.migrated.length;
  const title = `Enable hybrid-pipeline optimization in ${files} pipeline file${files === 1 ? "" : "s"}`;
  const branch = await ensureMigrationBranch(octokit, repo, {
    branch: config.branch,
    base: { sha: baseSha, treeSha: plan.treeSha },
    changes: plan.changes,
    hash,
    title,
  });
  if (branch.kind === "foreign") {
    const note = `Someone else (${plain(branch.author)}) pushed to \`${config.branch}\`, so I am leaving the branch alone. Delete the branch to let me rebuild it.`;
    if (open) await ensureNotice(octokit, repo, open.number, "foreign-commit", note);
    return { kind: "foreign-commit", pull: open?.number ?? null, author: branch.author };
  }
  const body = renderPrBody({
    ...plan.facts,
    hash,
    onboarding: plan.onboarding,
    migration: config.migration,
    branch: config.branch,
    configPath,
  });
  const pull = await ensureMigrationPullRequest(octokit, repo, open, {
    branch: config.branch,
    base: defaultBranch,
    title,
    body,
    hash,
    labels: config.labels,
  });
  return { kind: "done", branch: branch.kind, pull, files };
}
