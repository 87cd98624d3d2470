import type { ApplicationFunction, Context } from "probot";
import { configPath, type ConfigResult } from "./config.js";
import { loadConfig } from "./load-config.js";
import { ensureMigration, type MigrationRun, type Trigger } from "./ensure-migration.js";
import { touchesPipelines } from "./find-pipeline-files.js";
import type { BotLog, GitHub, RepoRef } from "./github.js";
import { createMigrationMemo } from "./migration-memo.js";
import { inlineCode as code, escapeMarkdownInline as plain } from "../src/render/index.js";
import { ensureNotice } from "./notices.js";
import { ensurePromotion } from "./ensure-promotion.js";
import { downloadProgramsArtifact } from "./program-artifact.js";
import { ZipError } from "./read-zip.js";
import { hasWriteAccess } from "./permissions.js";
import { isMigrationPrBody } from "./pr-body.js";
import { createSerialQueue } from "./serial-writes.js";

/** The command a user with write access comments to (re)create the migration pull request. */
export const migrateCommand = /^\s*\/hybrid-pipeline\s+migrate\s*$/m;

function describeRun(run: MigrationRun | ConfigResult): string {
  switch (run.kind) {
    case "invalid":
      return [
        `I could not read \`${configPath}\`; fix these and comment again:`,
        ...run.problems.map((p) => `- ${plain(p)}`),
      ].join("\n");
    case "nothing-to-change":
      return [
        "Nothing to migrate: every pipeline file already has `dspy_config` and `hybrid_config`, or none was found.",
        ...run.refused.map((r) => `- ${code(r.file)} was not migrated: ${plain(r.reason)}`),
      ].join("\n");
    case "closed-by-user":
      return `The migration pull request #${run.pull} was closed; I am leaving it closed.`;
    case "foreign-commit":
      return `The branch carries someone else's commit (${plain(run.author)}), so I left it alone.`;
    case "done":
      return `Migration pull request: #${run.pull.number} (${run.pull.kind === "unchanged" ? "already up to date" : run.pull.kind}).`;
    default:
      return "";
  }
}

/** Events whose runs use the default branch's own code: never a pull request (a fork may name its branch `main`). */
const defaultBranchEvents = new Set(["push", "schedule", "workflow_dispatch"]);

/**
 * The Probot app: migration on install, on pushes to the default branch that touch pipeline
 * files, and on the `/hybrid-pipeline migrate` command; remembers a closed, unmerged PR.
 */
export const hybridPipelineApp: ApplicationFunction = (app) => {
  const queue = createSerialQueue();
  const migrateFile = createMigrationMemo();

  async function migrate(
    octokit: GitHub,
    log: BotLog,
    repo: RepoRef,
    trigger: Trigger,
    options: { defaultBranch?: string; touched?: string[] } = {},
  ) {
    return queue.run(`${repo.owner}/${repo.repo}`.toLowerCase(), async () => {
      const config = await loadConfig(octokit, repo);
      if (config.kind === "invalid") {
        log.error({ repo, problems: config.problems }, "invalid hybrid-pipeline configuration");
        return config;
      }
      if (options.touched && !touchesPipelines(options.touched, config.config, configPath))
        return undefined;
      const defaultBranch =
        options.defaultBranch ?? (await octokit.rest.repos.get({ ...repo })).data.default_branch;
      const run = await ensureMigration(
        octokit,
        repo,
        config.config,
        trigger,
        defaultBranch,
        migrateFile,
      );
      log.info({ repo, trigger, outcome: run }, `hybrid-pipeline: ${run.kind}`);
      return run;
    });
  }

  app.on(["installation.created", "installation_repositories.added"], async (context) => {
    const payload = context.payload;
    const repos =
      "repositories_added" in payload ? payload.repositories_added : (payload.repositories ?? []);
    for (const entry of repos) {
      const [owner, repo] = entry.full_name.split("/") as [string, string];
      await migrate(context.octokit, context.log, { owner, repo }, "install");
    }
  });

  app.on("push", async (context) => {
    const { ref, repository, commits, deleted } = context.payload;
    if (context.isBot || deleted || ref !== `refs/heads/${repository.default_branch}`) return;
    const touched = commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? [])]);
    await migrate(context.octokit, context.log, context.repo(), "push", {
      defaultBranch: repository.default_branch,
      touched,
    });
  });

  app.on("issue_comment.created", async (context: Context<"issue_comment.created">) => {
    const { comment, repository, issue } = context.payload;
    if (context.isBot || comment.user?.type === "Bot" || !migrateCommand.test(comment.body)) return;
    const repo = context.repo();
    if (!comment.user || !(await hasWriteAccess(context.octokit, repo, comment.user.login))) {
      context.log.info(
        { repo, user: comment.user?.login },
        "ignoring /hybrid-pipeline migrate from a user without write access",
      );
      return;
    }
    const run = await migrate(context.octokit, context.log, repo, "command", {
      defaultBranch: repository.default_branch,
    });
    if (run)
      await context.octokit.rest.issues.createComment({
        ...repo,
        issue_number: issue.number,
        body: describeRun(run),
      });
  });

  app.on("workflow_run.completed", async (context) => {
    const { workflow_run: run, repository } = context.payload;
    if (
      run.conclusion !== "success" ||
      run.head_branch !== repository.default_branch ||
      !defaultBranchEvents.has(run.event) ||
      run.head_repository?.full_name !== repository.full_name
    )
      return;
    const repo = context.repo();
    await queue.run(`${repo.owner}/${repo.repo}`.toLowerCase(), async () => {
      let files: Map<string, Buffer> | undefined;
      try {
        files = await downloadProgramsArtifact(context.octokit, repo, run.id);
      } catch (error) {
        if (!(error instanceof ZipError)) throw error;
        context.log.error(
          { repo, run: run.id, problem: error.message },
          "unreadable programs artifact",
        );
        return;
      }
      if (!files) return;
      const config = await loadConfig(context.octokit, repo);
      if (config.kind === "invalid") {
        context.log.error(
          { repo, problems: config.problems },
          "invalid hybrid-pipeline configuration",
        );
        return;
      }
      const outcome = await ensurePromotion(
        context.octokit,
        repo,
        config.config,
        repository.default_branch,
        files,
      );
      context.log.info(
        { repo, run: run.id, outcome },
        `hybrid-pipeline promotion: ${outcome.kind}`,
      );
    });
  });

  app.on("pull_request.closed", async (context) => {
    const pr = context.payload.pull_request;
    if (pr.merged || pr.user?.type !== "Bot" || !isMigrationPrBody(pr.body)) return;
    const repo = context.repo();
    const note = [
      "Closed without merging: I will not reopen or recreate this migration on my own.",
      "If you change your mind, comment `/hybrid-pipeline migrate` on any issue or pull request.",
      `To leave some files out instead, list them under \`exclude:\` in \`${configPath}\`.`,
    ].join("\n");
    await queue.run(`${repo.owner}/${repo.repo}`.toLowerCase(), () =>
      ensureNotice(context.octokit, repo, pr.number, "closed", note),
    );
  });
};
