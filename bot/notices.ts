import type { GitHub, RepoRef } from "./github.js";

/** Notices the bot posts at most once per issue or pull request. */
export type NoticeKey = "closed" | "foreign-commit" | "invalid-config";

/**
 * Posts `body` on issue/pull request `number` unless a comment carrying the notice's hidden
 * marker is already there: redeliveries never add a second one.
 */
export async function ensureNotice(
  octokit: GitHub,
  repo: RepoRef,
  number: number,
  key: NoticeKey,
  body: string,
): Promise<boolean> {
  const marker = `<!-- hybrid-pipeline:notice ${key} -->`;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: number,
    per_page: 100,
  });
  if (comments.some((c) => c.body?.includes(marker))) return false;
  await octokit.rest.issues.createComment({
    ...repo,
    issue_number: number,
    body: `${marker}\n${body}`,
  });
  return true;
}
