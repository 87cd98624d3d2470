import { isAbsolute, resolve } from "node:path";
import { emptyCacheReport } from "../report/index.js";
import { CacheTierError, type CacheTier } from "./cache-tier.js";
import { CacheReporter } from "./cache-reporter.js";
import { DEFAULT_CACHE_DIR, DiskTier } from "./disk-tier.js";
import { MemoryTier, type MemoryTierOptions } from "./memory-tier.js";
import { RedisTier, type RedisTierOptions } from "./redis-tier.js";
import type { DistributedLockOptions } from "./single-flight.js";
import { TierStack, type LockWait, type TieredCache } from "./tiered-cache.js";

/** Options of `createTieredCache`. */
export interface TieredCacheOptions {
  /** Disk tier directory, relative to `workdir`; `null` for no disk tier. @default ".hybrid-pipeline/cache" */
  cacheDir?: string | null;
  /** Redis URL of the distributed tier; `null`/absent for none. */
  redisUrl?: string | null;
  /** `false` (from `dspy_config.cache_enabled: false`) gives a cache that stores nothing. @default true */
  enabled?: boolean;
  memory?: Omit<MemoryTierOptions, "onEvent">;
  /** @default 256 MiB */
  diskMaxBytes?: number;
  redis?: Omit<RedisTierOptions, "url" | "onEvent">;
  lock?: DistributedLockOptions;
  /** Epoch milliseconds; stamps entries and judges freshness. @default Date.now */
  clock?: () => number;
  /** Base of a relative `cacheDir`. @default process.cwd() */
  workdir?: string;
  /** Degraded tiers and discarded entries, one line each (the URL is never included). */
  onWarning?: (message: string) => void;
  /** Called when another process holds a key's compile lock and this one starts waiting for it. */
  onLockWait?: (wait: LockWait) => void;
}

const disabledCache: TieredCache = {
  get: async () => undefined,
  set: async () => {},
  getOrCompute: async (_key, _tags, compute) => ({ value: await compute(), tier: "computed" }),
  invalidateTag: async () => 0,
  report: emptyCacheReport,
  close: async () => {},
};

/**
 * Builds memory → disk → distributed from configuration. An unreachable Redis does not fail:
 * the cache starts without it and its report lists the tier as degraded.
 */
export async function createTieredCache(options: TieredCacheOptions = {}): Promise<TieredCache> {
  if (options.enabled === false) return disabledCache;
  const reporter = new CacheReporter(options.onWarning);
  const onEvent = reporter.onTierEvent;
  const tiers: CacheTier[] = [new MemoryTier({ ...options.memory, onEvent })];
  const cacheDir = options.cacheDir === undefined ? DEFAULT_CACHE_DIR : options.cacheDir;
  if (cacheDir !== null) {
    const dir = isAbsolute(cacheDir)
      ? cacheDir
      : resolve(options.workdir ?? process.cwd(), cacheDir);
    tiers.push(new DiskTier({ dir, maxBytes: options.diskMaxBytes, onEvent }));
  }
  if (options.redisUrl) {
    try {
      tiers.push(await RedisTier.connect({ ...options.redis, url: options.redisUrl, onEvent }));
    } catch (error) {
      if (!(error instanceof CacheTierError)) throw error;
      reporter.degrade("distributed", error.message);
    }
  }
  return new TierStack(tiers, reporter, {
    clock: options.clock,
    lock: options.lock,
    onLockWait: options.onLockWait,
  });
}
