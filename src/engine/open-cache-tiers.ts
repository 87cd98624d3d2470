import { isAbsolute, resolve } from "node:path";
import {
  CacheTierError,
  DEFAULT_CACHE_DIR,
  DiskTier,
  RedisTier,
  type CacheTier,
} from "../cache/index.js";

/** Where the tiers of a cache to inspect live. */
export interface CacheTiersOptions {
  /** Disk tier directory, relative to `cwd`. @default DEFAULT_CACHE_DIR */
  cacheDir?: string;
  /** Redis URL of the distributed tier; absent for none. */
  redisUrl?: string;
  /** Redis key prefix. @default "hybrid-pipeline" */
  namespace?: string;
  /** Disk size cap in bytes. @default 256 MiB */
  maxBytes?: number;
  cwd: string;
}

/** The tiers opened for inspection: the disk tier always, Redis when reachable (else `failure` says why). */
export interface CacheTiers {
  tiers: CacheTier[];
  disk: DiskTier;
  /** Why the distributed tier could not be opened; the URL is never included. */
  failure?: string;
}

/**
 * Opens the cache's tiers one by one for the `cache` verb (stats, list, invalidate, prune),
 * without the memory tier or the stack a run uses. An unreachable Redis is reported, not thrown.
 */
export async function openCacheTiers(options: CacheTiersOptions): Promise<CacheTiers> {
  const dirOption = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const disk = new DiskTier({
    dir: isAbsolute(dirOption) ? dirOption : resolve(options.cwd, dirOption),
    maxBytes: options.maxBytes,
  });
  if (!options.redisUrl) return { tiers: [disk], disk };
  try {
    const redis = await RedisTier.connect({ url: options.redisUrl, namespace: options.namespace });
    return { tiers: [disk, redis], disk };
  } catch (error) {
    if (!(error instanceof CacheTierError)) throw error;
    return { tiers: [disk], disk, failure: error.message };
  }
}
