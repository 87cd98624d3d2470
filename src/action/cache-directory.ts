import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";

/** What the toolkit's cache calls came to (see `actions-cache-api.ts` for how failures are detected). */
export type RestoreResult =
  { kind: "hit"; matchedKey: string } | { kind: "miss" } | { kind: "failed"; reason: string };
export type SaveResult = { kind: "saved" } | { kind: "failed"; reason: string };

/** The cache service as this module needs it; `actionsCacheApi()` adapts `@actions/cache`. */
export interface CacheApi {
  isAvailable(): Promise<boolean>;
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<RestoreResult>;
  save(paths: string[], key: string): Promise<SaveResult>;
}

export interface CacheKeyParts {
  /** @default "hybrid-pipeline" */
  prefix: string;
  /** `RUNNER_OS` (Linux, Windows, macOS). */
  os: string;
  /** sha256 over the pipeline files and training data (see {@link hashFiles}). */
  inputsHash: string;
  /** `GITHUB_RUN_ID-GITHUB_RUN_ATTEMPT`: makes every save a new key, since GitHub refuses to overwrite one. */
  run: string;
}

/**
 * The primary key is unique per run attempt; restore keys go from the same inputs to any earlier entry of
 * this OS, and the service returns the newest entry for a prefix.
 * https://docs.github.com/actions/writing-workflows/choosing-what-your-workflow-does/caching-dependencies-to-speed-up-workflows#matching-a-cache-key
 */
export function cacheKeys(parts: CacheKeyParts): { key: string; restoreKeys: string[] } {
  const base = `${parts.prefix}-${parts.os}-`;
  const withInputs = `${base}${parts.inputsHash.slice(0, 16)}-`;
  return { key: `${withInputs}${parts.run}`, restoreKeys: [withInputs, base] };
}

async function filesUnder(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir, { recursive: true, withFileTypes: true });
    return names.filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
  } catch {
    return [];
  }
}

/** sha256 over the paths (relative to `root`) and contents of every file under `paths`, in sorted order. */
export async function hashFiles(root: string, paths: readonly string[]): Promise<string> {
  const hash = createHash("sha256");
  const files = (
    await Promise.all(
      paths.map((p) => filesUnder(p).then((found) => (found.length > 0 ? found : [p]))),
    )
  ).flat();
  for (const file of [...new Set(files)].sort()) {
    hash.update(relative(root, file)).update("\0");
    hash.update(await readFile(file).catch(() => Buffer.alloc(0))).update("\0");
  }
  return hash.digest("hex");
}

/** The state a save compares against: which key was restored and the directory's fingerprint then. */
export type RestoreOutcome =
  | { kind: "restored"; key: string; matchedKey: string; fingerprint: string }
  | { kind: "miss"; key: string; fingerprint: string }
  /** The directory is not used as a tier: service missing or failing, or reads not permitted. */
  | { kind: "unavailable"; key: string; reason: string };

export type SaveOutcome =
  | { kind: "saved"; key: string }
  | { kind: "unchanged" }
  | { kind: "skipped"; reason: string }
  | { kind: "failed"; reason: string };

/** `ACTIONS_CACHE_MODE`, as `@actions/cache` reads it: none | read | write | write-only; unknown → read-write. */
export function cacheMode(env: NodeJS.ProcessEnv): { read: boolean; write: boolean; mode: string } {
  const mode = (env.ACTIONS_CACHE_MODE ?? "").trim().toLowerCase();
  if (!["none", "read", "write", "write-only"].includes(mode))
    return { read: true, write: true, mode };
  return {
    read: mode === "read" || mode === "write",
    write: mode === "write" || mode === "write-only",
    mode,
  };
}

/** The cache directory: `path` as given to the cache service (relative to the workspace), `absolute` to read it. */
export interface CacheDirectory {
  path: string;
  absolute: string;
}

/** Restores `dir` from the newest matching entry. Never throws: a failing service makes the tier unavailable. */
export async function restoreCacheDirectory(
  api: CacheApi,
  dir: CacheDirectory,
  parts: CacheKeyParts,
  env: NodeJS.ProcessEnv,
): Promise<RestoreOutcome> {
  const { key, restoreKeys } = cacheKeys(parts);
  if (!(await api.isAvailable()))
    return {
      kind: "unavailable",
      key,
      reason: "the GitHub cache service is not available to this job",
    };
  const mode = cacheMode(env);
  if (!mode.read)
    return { kind: "miss", key, fingerprint: await hashFiles(dir.absolute, [dir.absolute]) };
  const result = await api
    .restore([dir.path], key, restoreKeys)
    .catch((error: unknown) => ({ kind: "failed" as const, reason: String(error) }));
  if (result.kind === "failed")
    return { kind: "unavailable", key, reason: `cache restore failed: ${result.reason}` };
  const fingerprint = await hashFiles(dir.absolute, [dir.absolute]);
  return result.kind === "hit"
    ? { kind: "restored", key, matchedKey: result.matchedKey, fingerprint }
    : { kind: "miss", key, fingerprint };
}

/** Saves `dir` under the run's new key, only when its contents changed since the restore. Never throws. */
export async function saveCacheDirectory(
  api: CacheApi,
  dir: CacheDirectory,
  restored: RestoreOutcome,
  env: NodeJS.ProcessEnv,
): Promise<SaveOutcome> {
  if (restored.kind === "unavailable") return { kind: "skipped", reason: restored.reason };
  const mode = cacheMode(env);
  if (!mode.write)
    return {
      kind: "skipped",
      reason: `ACTIONS_CACHE_MODE is '${mode.mode}' (read-only in low-trust events): not saving`,
    };
  if ((await hashFiles(dir.absolute, [dir.absolute])) === restored.fingerprint)
    return { kind: "unchanged" };
  if ((await filesUnder(dir.absolute)).length === 0) return { kind: "unchanged" };
  const result = await api
    .save([dir.path], restored.key)
    .catch((error: unknown) => ({ kind: "failed" as const, reason: String(error) }));
  return result.kind === "saved" ? { kind: "saved", key: restored.key } : result;
}
