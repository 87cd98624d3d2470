import { redact, type RunReport } from "../report/index.js";
import {
  JOB_SUMMARY_LIMIT,
  renderMarkdownReport,
  REPORT_MARKER,
  type MarkdownOptions,
} from "../render/index.js";
import type { ActionDeps } from "./action-deps.js";
import type { ActionInputs } from "./inputs.js";
import { ensureStickyComment, type StickyCommentOutcome } from "./sticky-comment.js";

/** The pull request this job reports on: the input, else the event's (pull_request, workflow_run). */
export function pullRequestNumber(
  inputs: ActionInputs,
  payload: Record<string, unknown>,
): number | null {
  if (inputs.pullRequest !== null) return inputs.pullRequest;
  const pr = payload.pull_request as { number?: unknown } | undefined;
  if (typeof pr?.number === "number") return pr.number;
  const runs = (payload.workflow_run as { pull_requests?: Array<{ number?: unknown }> } | undefined)
    ?.pull_requests;
  const fromRun = runs?.[0]?.number;
  return typeof fromRun === "number" ? fromRun : null;
}

function repository(deps: ActionDeps): { owner: string; repo: string } | null {
  const [owner, repo] = (deps.env.GITHUB_REPOSITORY ?? "").split("/");
  return owner && repo ? { owner, repo } : null;
}

export type CommentResult =
  | StickyCommentOutcome
  | { kind: "not_a_pull_request" }
  | { kind: "disabled" }
  | { kind: "failed"; message: string }
  | { kind: "refused"; message: string };

/**
 * In a `workflow_run` job the pull request number comes from an artifact of the untrusted run (GitHub
 * leaves `workflow_run.pull_requests` empty for forks), so it is believed only when that pull request's
 * head is the commit the run built.
 */
async function checkWorkflowRunTarget(
  deps: ActionDeps,
  inputs: ActionInputs,
  repo: { owner: string; repo: string },
  number: number,
): Promise<string | null> {
  const run = deps.event.payload.workflow_run as { head_sha?: unknown } | undefined;
  if (deps.event.name !== "workflow_run" || typeof run?.head_sha !== "string") return null;
  const { data } = await (
    await deps.github(inputs.githubToken)
  ).rest.pulls.get({ ...repo, pull_number: number });
  return data.head.sha === run.head_sha
    ? null
    : `pull request #${number} is at ${data.head.sha.slice(0, 7)}, not at the commit the workflow run built (${run.head_sha.slice(0, 7)})`;
}

/** Creates or edits the sticky comment; never throws (a failed comment is reported, not fatal). */
export async function publishComment(
  deps: ActionDeps,
  inputs: ActionInputs,
  body: string,
): Promise<CommentResult> {
  if (!inputs.comment) return { kind: "disabled" };
  const number = pullRequestNumber(inputs, deps.event.payload);
  const repo = repository(deps);
  if (number === null || repo === null) return { kind: "not_a_pull_request" };
  try {
    const refused = await checkWorkflowRunTarget(deps, inputs, repo, number);
    if (refused) return { kind: "refused", message: refused };
    return await ensureStickyComment(await deps.github(inputs.githubToken), {
      ...repo,
      issue_number: number,
      marker: REPORT_MARKER,
      body,
    });
  } catch (error) {
    return { kind: "failed", message: error instanceof Error ? error.message : String(error) };
  }
}

/** One line on what happened to the comment, for the summary; null when there is nothing to say. */
export function commentNote(result: CommentResult): string | null {
  switch (result.kind) {
    case "forbidden":
      return "The PR comment was not posted: this job's token is read-only (fork pull requests get one). Use the workflow_run pattern of docs/action.md to comment from a trusted job.";
    case "failed":
      return `The PR comment could not be posted: ${result.message}`;
    case "refused":
      return `The PR comment was not posted: ${result.message}.`;
    default:
      return null;
  }
}

/** This job's run on GitHub (`…/actions/runs/ID`, with the attempt after the first), or undefined outside Actions. */
export function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT } = env;
  if (!GITHUB_SERVER_URL || !GITHUB_REPOSITORY || !GITHUB_RUN_ID) return undefined;
  const attempt =
    GITHUB_RUN_ATTEMPT && GITHUB_RUN_ATTEMPT !== "1" ? `/attempts/${GITHUB_RUN_ATTEMPT}` : "";
  return `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}${attempt}`;
}

/** What the comment and the summary share: the workspace paths are shown relative to, and the links. */
function renderOptions(deps: ActionDeps, inputs: ActionInputs): MarkdownOptions {
  const run = runUrl(deps.env);
  const artifact = inputs.reportUrl;
  return {
    workspace: deps.workspace,
    links: { ...(run ? { run } : {}), ...(artifact ? { artifact } : {}) },
  };
}

/** Renders the report markdown (marker included), redacted. */
export function renderBody(
  reports: RunReport[],
  notes: string[],
  secrets: string[],
  options: MarkdownOptions = {},
): string {
  return redact(renderMarkdownReport(reports, { marker: true, notes, ...options }), secrets);
}

/** Writes the summary, then logs what happened to the comment. */
export async function publishReports(
  deps: ActionDeps,
  inputs: ActionInputs,
  reports: RunReport[],
  notes: string[],
  secrets: string[],
): Promise<{ comment: CommentResult }> {
  const options = renderOptions(deps, inputs);
  const comment = await publishComment(deps, inputs, renderBody(reports, notes, secrets, options));
  const note = commentNote(comment);
  if (comment.kind === "created" || comment.kind === "updated" || comment.kind === "unchanged")
    deps.core.info(`PR comment ${comment.kind}: ${comment.url}`);
  if (note && comment.kind === "forbidden") deps.core.notice(note);
  else if (note) deps.core.warning(note);
  // The summary holds the same content without the comment's size limit.
  await deps.writeSummary(
    renderBody(reports, note ? [...notes, note] : notes, secrets, {
      ...options,
      maxLength: JOB_SUMMARY_LIMIT,
    }),
  );
  return { comment };
}
