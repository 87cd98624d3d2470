import type { Dirent } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { CacheTierError } from "./cache-tier.js";

/** One name under `<root>/<prefix>/`, as lstat sees it (a symlink is never followed). */
export interface StoredFile {
  path: string;
  kind: "file" | "directory" | "symlink" | "other";
  bytes: number;
  mtimeMs: number;
}

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

async function entriesOf(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") return [];
    throw new CacheTierError("disk", "io", `cannot list ${dir}: ${(error as Error).message}`, {
      cause: error,
      scope: "operation",
    });
  }
}

function kindOf(entry: Dirent): StoredFile["kind"] {
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isDirectory()) return "directory";
  return entry.isFile() ? "file" : "other";
}

/**
 * Every name ending in `suffix` one prefix level below `root`, whatever it is (file, directory,
 * link, device), so callers can read the files and report or remove what squats on an entry name.
 */
export async function scanEntryFiles(root: string, suffix: string): Promise<StoredFile[]> {
  const files: StoredFile[] = [];
  for (const prefix of await entriesOf(root)) {
    if (!prefix.isDirectory()) continue;
    const dir = join(root, prefix.name);
    for (const entry of await entriesOf(dir)) {
      if (!entry.name.endsWith(suffix)) continue;
      const path = join(dir, entry.name);
      const info = await lstat(path).catch(() => undefined);
      if (info) files.push({ path, kind: kindOf(entry), bytes: info.size, mtimeMs: info.mtimeMs });
    }
  }
  return files;
}
