import { createHash } from "node:crypto";

/** A file entry of a tree, by its full path from the tree root. */
export interface TreeFile {
  mode: string;
  sha: string;
}

export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
}

/**
 * The object database of one repository: blobs, trees (kept flat, path → file, with directory
 * entries derived when listed) and commits. Blob SHAs are git's own; tree and commit SHAs are
 * SHA-1 over their content, so equal content gives an equal SHA as in git.
 */
export class GitStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, Map<string, TreeFile>>();
  readonly commits = new Map<string, GitCommit>();

  putBlob(content: Buffer): string {
    const sha = createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
    this.blobs.set(sha, content);
    return sha;
  }

  putTree(files: Map<string, TreeFile>): string {
    const sorted = [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const sha = createHash("sha1")
      .update(`tree\0${JSON.stringify(sorted)}`)
      .digest("hex");
    this.trees.set(sha, new Map(sorted));
    for (const dir of directoriesOf(files)) this.subtree(files, dir);
    return sha;
  }

  putCommit(commit: Omit<GitCommit, "sha">): GitCommit {
    const sha = createHash("sha1")
      .update(`commit\0${JSON.stringify(commit)}`)
      .digest("hex");
    const stored = { sha, ...commit };
    this.commits.set(sha, stored);
    return stored;
  }

  /** Files of the tree `sha`, or undefined when no such tree exists. */
  filesOf(sha: string): Map<string, TreeFile> | undefined {
    return this.trees.get(sha);
  }

  /** The SHA of the directory `dir` inside a tree (stored as a tree of its own). */
  subtree(files: Map<string, TreeFile>, dir: string): string {
    const inner = new Map<string, TreeFile>();
    for (const [path, file] of files)
      if (path.startsWith(`${dir}/`)) inner.set(path.slice(dir.length + 1), file);
    const sorted = [...inner.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const sha = createHash("sha1")
      .update(`tree\0${JSON.stringify(sorted)}`)
      .digest("hex");
    this.trees.set(sha, new Map(sorted));
    return sha;
  }

  /** Is `ancestor` reachable from `sha` through parents (or equal to it)? */
  isAncestor(ancestor: string, sha: string): boolean {
    const seen = new Set<string>();
    const queue = [sha];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (next === ancestor) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return false;
  }

  /** Text of `path` at commit `sha`, or undefined. */
  readFile(commitSha: string, path: string): string | undefined {
    const commit = this.commits.get(commitSha);
    const file = commit && this.trees.get(commit.tree)?.get(path);
    return file && this.blobs.get(file.sha)?.toString("utf8");
  }
}

/** Every directory path that holds a file of `files` ("a", "a/b" for "a/b/c.yml"). */
export function directoriesOf(files: Map<string, TreeFile>): string[] {
  const dirs = new Set<string>();
  for (const path of files.keys()) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  return [...dirs].sort();
}
