import type { ActionEvent } from "./action-deps.js";

/** Events whose runs build the default branch itself (never a pull request's code). */
const DEFAULT_BRANCH_EVENTS = new Set(["push", "schedule", "workflow_dispatch"]);

/**
 * Whether this job runs the default branch from a push, a schedule or a manual dispatch: only then
 * are its programs candidates for the promotion PR. A schedule always runs the default branch; a push
 * or dispatch must name it in `GITHUB_REF`.
 */
export function isDefaultBranchRun(event: ActionEvent, env: NodeJS.ProcessEnv): boolean {
  if (!DEFAULT_BRANCH_EVENTS.has(event.name)) return false;
  if (event.name === "schedule") return true;
  const repository = event.payload.repository as { default_branch?: unknown } | undefined;
  const branch = repository?.default_branch;
  return typeof branch === "string" && env.GITHUB_REF === `refs/heads/${branch}`;
}
