import { hasStatus, type GitHub, type RepoRef } from "./github.js";

/** A file the migration writes (path from the repository root). */
export interface FileChange {
  path: string;
  text: string;
}

/** What `ensureMigrationBranch` did. */
export type BranchOutcome =
  | { kind: "created" | "updated" | "rebuilt"; sha: string }
  | { kind: "unchanged"; sha: string }
  | { kind: "foreign"; sha: string; author: string };

export interface BranchRequest {
  branch: string;
  /** The default branch's head commit and its tree. */
  base: { sha: string; treeSha: string };
  changes: FileChange[];
  /** Content hash of `changes`; written as a commit trailer to recognise our commit. */
  hash: string;
  title: string;
}

const trailer = "Hybrid-Pipeline-Hash";

/** The content hash in one of our commit messages, or undefined for anyone else's commit. */
export function hashOfCommitMessage(message: string): string | undefined {
  return new RegExp(`^${trailer}: ([0-9a-f]{64})$`, "m").exec(message)?.[1];
}

async function readBranch(
  octokit: GitHub,
  repo: RepoRef,
  branch: string,
): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if (hasStatus(error, 404)) return undefined;
    throw error;
  }
}

/**
 * Puts exactly one commit holding `changes` on top of the base, on the bot's branch, through
 * the Git Data API: one tree (with `base_tree`, contents inline, so the number of writes does
 * not grow with the number of files), one commit, one ref write. Idempotent: the same content
 * on the same base writes nothing; a branch whose head is someone else's commit is left alone.
 */
export async function ensureMigrationBranch(
  octokit: GitHub,
  repo: RepoRef,
  request: BranchRequest,
): Promise<BranchOutcome> {
  const current = await readBranch(octokit, repo, request.branch);
  let previousHash: string | undefined;
  if (current) {
    const { data: head } = await octokit.rest.git.getCommit({ ...repo, commit_sha: current });
    previousHash = hashOfCommitMessage(head.message);
    if (previousHash === undefined || head.parents.length !== 1)
      return { kind: "foreign", sha: current, author: head.author.name };
    if (previousHash === request.hash && head.parents[0]!.sha === request.base.sha)
      return { kind: "unchanged", sha: current };
  }
  const { data: tree } = await octokit.rest.git.createTree({
    ...repo,
    base_tree: request.base.treeSha,
    tree: request.changes.map((c) => ({
      path: c.path,
      mode: "100644" as const,
      type: "blob" as const,
      content: c.text,
    })),
  });
  const { data: commit } = await octokit.rest.git.createCommit({
    ...repo,
    message: `${request.title}\n\n${trailer}: ${request.hash}\n`,
    tree: tree.sha,
    parents: [request.base.sha],
  });
  if (!current) {
    try {
      await octokit.rest.git.createRef({
        ...repo,
        ref: `refs/heads/${request.branch}`,
        sha: commit.sha,
      });
      return { kind: "created", sha: commit.sha };
    } catch (error) {
      // 422 "Reference already exists": another worker created it meanwhile; decide again on what it holds.
      if (hasStatus(error, 422) && (await readBranch(octokit, repo, request.branch)))
        return ensureMigrationBranch(octokit, repo, request);
      throw error;
    }
  }
  // Our own commit: rewriting it is safe (force), and keeps the branch at exactly one commit.
  await octokit.rest.git.updateRef({
    ...repo,
    ref: `heads/${request.branch}`,
    sha: commit.sha,
    force: true,
  });
  return { kind: previousHash === request.hash ? "rebuilt" : "updated", sha: commit.sha };
}
