/** The `CacheTier` port, its entry and stats types, and the error a failing tier rejects with. */
export {
  CacheTierError,
  type CacheEntry,
  type CacheTier,
  type ListedEntry,
  type TierEvent,
  type TierName,
  type TierStats,
} from "./cache-tier.js";
/** Builds the tiered cache (memory → disk → distributed) from configuration. */
export { createTieredCache, type TieredCacheOptions } from "./create-tiered-cache.js";
/** The tiered cache's API and the tier stack that implements it. */
export {
  TierStack,
  type CacheHit,
  type GetOptions,
  type GetOrComputeOptions,
  type LockWait,
  type TieredCache,
  type TierStackOptions,
} from "./tiered-cache.js";
/** Counts hits, misses, promotions, evictions, corrupt entries and degraded tiers for the run report. */
export { CacheReporter } from "./cache-reporter.js";
/** Bounded in-process LRU tier. */
export { MemoryTier, type MemoryTierOptions } from "./memory-tier.js";
/** Directory tier (atomic writes, checksummed entries, size cap) and its default location. */
export {
  DEFAULT_CACHE_DIR,
  DiskTier,
  type DiskTierOptions,
  type PruneResult,
} from "./disk-tier.js";
/** Redis tier (namespaced keys, TTL, tag index, lock) and the env variable naming its URL. */
export { REDIS_URL_ENV, RedisTier, type RedisTierOptions } from "./redis-tier.js";
/** Cache keys: sha256 over canonical JSON plus the format version; `optimizationCacheKey` lists what a compiled program depends on. */
export {
  cacheKey,
  canonicalJson,
  contentHash,
  optimizationCacheKey,
  type OptimizationKeyInput,
} from "./cache-key.js";
/** `optimization_frequency` → max entry age (ms), and the `dspy_config` cache policy (explicit `false` wins). */
export {
  cachePolicyFor,
  isFresh,
  isOptimizationFrequency,
  maxAgeFor,
  type CachePolicy,
  type OptimizationFrequency,
} from "./freshness.js";
/** Stored entry envelope: format version + sha256 checksum. */
export {
  CACHE_FORMAT_VERSION,
  decodeEntry,
  encodeEntry,
  type DecodedEntry,
} from "./entry-codec.js";
/** In-process single-flight and the bounded-wait cross-process lock protocol. */
export {
  acquireDistributedLock,
  DEFAULT_LOCK_WAIT_MS,
  SingleFlight,
  type DistributedLockOptions,
  type LockOutcome,
  type LockStore,
} from "./single-flight.js";
