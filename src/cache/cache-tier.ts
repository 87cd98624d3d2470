export type TierName = "memory" | "disk" | "distributed";

/** What a tier stores: a JSON-serialisable value with the tags used for invalidation. */
export interface CacheEntry {
  value: unknown;
  /** e.g. `step:analyze`, `signature:<hash>`; invalidation removes every entry carrying a tag. */
  tags: string[];
  /** Epoch milliseconds when the value was computed. */
  createdAt: number;
}

export interface TierStats {
  entries: number;
  bytes: number;
  evictions: number;
  corruptEntries: number;
}

/**
 * One level of the optimization cache. Implementations: memory (LRU), disk (directory), distributed (Redis).
 * Methods reject with CacheTierError when the backing store fails; the tiered cache degrades on that.
 */
export interface CacheTier {
  readonly name: TierName;
  get(key: string): Promise<CacheEntry | undefined>;
  set(key: string, entry: CacheEntry): Promise<void>;
  delete(key: string): Promise<void>;
  /** Removes every entry carrying `tag`; resolves with how many were removed. */
  invalidateTag(tag: string): Promise<number>;
  stats(): Promise<TierStats>;
  /** Every stored entry's metadata (for `hybrid-pipeline cache list`); tiers that cannot enumerate omit it. */
  list?(): Promise<ListedEntry[]>;
  close(): Promise<void>;
}

/** Metadata of one stored entry, without its value. */
export interface ListedEntry {
  key: string;
  tags: string[];
  /** Epoch milliseconds when the value was computed. */
  createdAt: number;
  /** Stored size in bytes. */
  bytes: number;
  /** Why the stored entry cannot be used (it is listed, not deleted: `cache prune` removes it). */
  corrupt?: string;
}

/** Something a tier noticed that the run report counts: an eviction, or a discarded corrupt entry. */
export type TierEvent =
  | { kind: "eviction"; tier: TierName; key: string }
  | { kind: "corrupt"; tier: TierName; key: string; reason: string };

/**
 * A failing tier operation. `scope: "tier"` (the default) means the store itself is gone (Redis
 * unreachable) and the tiered cache bypasses the tier from then on; `"operation"` means only this
 * read or write failed (one unreadable disk entry, a read-only directory) and the tier stays in use.
 */
export class CacheTierError extends Error {
  override readonly name = "CacheTierError";
  readonly scope: "tier" | "operation";
  constructor(
    readonly tier: TierName,
    readonly code: "unavailable" | "timeout" | "io",
    message: string,
    options?: { cause?: unknown; scope?: "tier" | "operation" },
  ) {
    super(message, options);
    this.scope = options?.scope ?? "tier";
  }
}
