import type { TieredCache } from "../cache/index.js";
import type { CacheReport } from "../report/index.js";

/** A program `optimize` compiled, and the cache key a later run looks it up by. */
export interface CompiledKey {
  step: string;
  key: string;
}

/**
 * The lines for compiled programs a later run could not find: each key is read back through `reopen()`, a
 * fresh cache (no memory tier content of this process), so a disk or Redis write that failed in any
 * way shows here (with the failures `degraded` recorded during compiling). Empty when every program was saved.
 */
export async function unsavedPrograms(
  compiled: readonly CompiledKey[],
  reopen: () => Promise<TieredCache>,
  degraded: CacheReport["degraded"],
): Promise<string[]> {
  if (compiled.length === 0) return [];
  const cache = await reopen();
  try {
    const lines: string[] = [];
    for (const { step, key } of compiled) {
      const hit = await cache.get(key);
      if (!hit || hit.tier === "memory") {
        const why = degraded.map((d) => `${d.tier}: ${d.reason}`);
        lines.push(
          `${step}: compiled but not saved to the cache, so \`run\` cannot use it${why.length > 0 ? ` (${why.join("; ")})` : ""}; check --cache-dir is writable`,
        );
      }
    }
    return lines;
  } finally {
    await cache.close();
  }
}
