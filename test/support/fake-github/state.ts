import { GitStore, type TreeFile } from "./git-store.js";
import type { Actor } from "./http.js";

export interface FakeUser {
  login: string;
  id: number;
  type: "Bot" | "User";
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  user: FakeUser;
  createdAt: string;
  updatedAt: string;
}

export interface FakeLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

/** An issue, or the issue side of a pull request (`pull` set). */
export interface FakeIssue {
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  user: FakeUser;
  labels: string[];
  pull?: {
    head: string;
    base: string;
    merged: boolean;
    headSha: string;
    mergeCommitSha: string | null;
  };
}

/** One repository's whole state; tests read it to assert the outcome. */
/** An artifact a workflow run uploaded. */
export interface FakeArtifact {
  id: number;
  runId: number;
  name: string;
  zip: Buffer;
  expired: boolean;
}

export class FakeRepo {
  readonly git = new GitStore();
  /** "heads/main" → commit SHA. */
  readonly refs = new Map<string, string>();
  readonly issues = new Map<number, FakeIssue>();
  readonly comments: FakeComment[] = [];
  readonly labels = new Map<string, FakeLabel>();
  /** login → "admin" | "maintain" | "write" | "triage" | "read". */
  readonly permissions = new Map<string, string>();
  nextNumber = 1;
  /** Workflow run artifacts, by artifact id. */
  readonly artifacts = new Map<number, FakeArtifact>();

  /** Stores `zip` as artifact `name` of workflow run `runId`; returns the artifact id. */
  uploadArtifact(runId: number, name: string, zip: Buffer): number {
    const id = 70_000 + this.artifacts.size + 1;
    this.artifacts.set(id, { id, runId, name, zip, expired: false });
    return id;
  }

  constructor(
    readonly owner: string,
    readonly name: string,
    readonly id: number,
    public defaultBranch: string,
  ) {}

  /** Commits `files` (path → text; null deletes) on top of `branch`, moving the branch. */
  commitFiles(
    branch: string,
    files: Record<string, string | null>,
    message: string,
    author: FakeUser,
    now: string,
  ): string {
    const parent = this.refs.get(`heads/${branch}`);
    const base = parent
      ? this.git.filesOf(this.git.commits.get(parent)!.tree)!
      : new Map<string, TreeFile>();
    const next = new Map(base);
    for (const [path, text] of Object.entries(files)) {
      if (text === null) next.delete(path);
      else next.set(path, { mode: "100644", sha: this.git.putBlob(Buffer.from(text, "utf8")) });
    }
    const who = {
      name: author.login,
      email: `${author.id}+${author.login}@users.noreply.github.com`,
      date: now,
    };
    const commit = this.git.putCommit({
      tree: this.git.putTree(next),
      parents: parent ? [parent] : [],
      message,
      author: who,
      committer: who,
    });
    this.refs.set(`heads/${branch}`, commit.sha);
    return commit.sha;
  }

  /** Closes pull request `number`; merged → the base branch gets a merge commit of its head. */
  closePull(number: number, options: { merged: boolean; now: string }): void {
    const issue = this.issues.get(number);
    if (!issue?.pull) throw new Error(`fake-github: no pull request #${number}`);
    issue.state = "closed";
    if (!options.merged) return;
    const head = this.refs.get(`heads/${issue.pull.head}`)!;
    const base = this.refs.get(`heads/${issue.pull.base}`)!;
    const who = { name: "merger", email: "merger@example.com", date: options.now };
    const merge = this.git.putCommit({
      tree: this.git.commits.get(head)!.tree,
      parents: [base, head],
      message: `Merge pull request #${number}`,
      author: who,
      committer: who,
    });
    this.refs.set(`heads/${issue.pull.base}`, merge.sha);
    issue.pull.merged = true;
    issue.pull.mergeCommitSha = merge.sha;
  }

  /** Pull requests (the issues that carry `pull`). */
  pulls(): FakeIssue[] {
    return [...this.issues.values()].filter((issue) => issue.pull !== undefined);
  }

  /** Text of `path` on `branch`, or undefined. */
  readFile(branch: string, path: string): string | undefined {
    const sha = this.refs.get(`heads/${branch}`);
    return sha ? this.git.readFile(sha, path) : undefined;
  }

  /** Commits reachable from `branch` that are not on `base` (newest first). */
  commitsAhead(branch: string, base = this.defaultBranch): string[] {
    const baseSha = this.refs.get(`heads/${base}`);
    const out: string[] = [];
    let sha = this.refs.get(`heads/${branch}`);
    while (sha && !(baseSha && this.git.isAncestor(sha, baseSha))) {
      out.push(sha);
      sha = this.git.commits.get(sha)?.parents[0];
    }
    return out;
  }
}

/** The user object GitHub embeds for an actor. */
export function userJson(user: FakeUser | Actor): Record<string, unknown> {
  return { login: user.login, id: user.id, type: user.type, node_id: `U_${user.id}` };
}

/** Everything the fake knows, shared by the route modules. */
export interface World {
  repos: Map<string, FakeRepo>;
  /** Next id for comments, labels, users. */
  nextId(): number;
  now(): string;
}

/** The repository named by `owner`/`repo` route params, or undefined. */
export function repoOf(world: World, params: Record<string, string>): FakeRepo | undefined {
  return world.repos.get(`${params.owner}/${params.repo}`.toLowerCase());
}
