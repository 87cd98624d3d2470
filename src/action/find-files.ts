import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import picomatch from "picomatch";
import type { Shard } from "./inputs.js";

/** Directories never searched: dependencies, VCS data, our own cache. */
const skipped = new Set(["node_modules", ".git", ".hybrid-pipeline"]);

async function walk(root: string, dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !skipped.has(entry.name)) await walk(root, path, out);
    else if (entry.isFile()) out.push(relative(root, path).split(sep).join("/"));
  }
}

/**
 * Files under `root` matching any of `patterns` (picomatch globs; a leading `!` excludes), relative with
 * forward slashes, sorted, so every shard of a matrix sees the same list.
 */
export async function findFiles(root: string, patterns: readonly string[]): Promise<string[]> {
  const include = patterns.filter((p) => !p.startsWith("!"));
  const exclude = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
  const isIncluded = picomatch(include, { dot: true });
  const isExcluded = exclude.length > 0 ? picomatch(exclude, { dot: true }) : () => false;
  const files: string[] = [];
  await walk(root, root, files);
  return files.filter((f) => isIncluded(f) && !isExcluded(f)).sort();
}

/** This shard's share: the files whose index ≡ shard.index − 1 (mod shard.count). */
export function shardFiles(files: readonly string[], shard: Shard): string[] {
  return files.filter((_, i) => i % shard.count === shard.index - 1);
}
