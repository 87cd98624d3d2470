import type { CacheApi, RestoreResult, SaveResult } from "./cache-directory.js";

/**
 * Runs `fn` while watching the workflow commands it writes to stdout, and returns the lines starting
 * with `prefix`. `@actions/cache` swallows service failures (it logs "Failed to restore: …" /
 * "Failed to save: …" and returns as on a miss), so its log line is the only signal that the service
 * failed rather than found nothing. Output still reaches the runner unchanged.
 * https://github.com/actions/toolkit/blob/main/packages/cache/src/cache.ts
 */
async function watchingStdout<T>(
  prefix: RegExp,
  fn: () => Promise<T>,
): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  const watch = (chunk: unknown, ...rest: unknown[]): boolean => {
    for (const line of String(chunk).split(/\r?\n/))
      if (prefix.test(line)) lines.push(line.replace(/^::\w+::/, ""));
    return (original as (chunk: unknown, ...rest: unknown[]) => boolean)(chunk, ...rest);
  };
  process.stdout.write = watch as typeof process.stdout.write;
  try {
    return { value: await fn(), lines };
  } finally {
    process.stdout.write = original;
  }
}

/** Loaded on first use: the Azure Blob SDK behind it is a large part of the bundle's start-up time. */
const loadCache = () => import("@actions/cache");

/** `@actions/cache` as a {@link CacheApi} whose results say whether the service failed. */
export function actionsCacheApi(): CacheApi {
  return {
    isAvailable: async () => (await loadCache()).isFeatureAvailable(),
    async restore(paths, key, restoreKeys): Promise<RestoreResult> {
      const cache = await loadCache();
      const { value, lines } = await watchingStdout(
        /^(::(warning|error)::)?Failed to restore/,
        () => cache.restoreCache(paths, key, restoreKeys),
      );
      if (value !== undefined) return { kind: "hit", matchedKey: value };
      return lines.length > 0 ? { kind: "failed", reason: lines.join("; ") } : { kind: "miss" };
    },
    async save(paths, key): Promise<SaveResult> {
      const cache = await loadCache();
      const { value, lines } = await watchingStdout(
        /^(::(warning|error)::)?(Failed to save|Cache reservation failed)/,
        () => cache.saveCache(paths, key),
      );
      return value !== -1
        ? { kind: "saved" }
        : {
            kind: "failed",
            reason: lines.join("; ") || "the cache service did not accept the entry",
          };
    },
  };
}
