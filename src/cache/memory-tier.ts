import { LRUCache } from "lru-cache";
import type { CacheEntry, CacheTier, ListedEntry, TierEvent, TierStats } from "./cache-tier.js";

/** Options of the in-process tier. */
export interface MemoryTierOptions {
  /** @default 1000 entries */
  maxEntries?: number;
  /** Sum of the entries' JSON sizes. @default 64 MiB */
  maxBytes?: number;
  onEvent?: (event: TierEvent) => void;
}

interface Slot {
  entry: CacheEntry;
  bytes: number;
}

/** Bounded LRU in this process, by entry count and by bytes (JSON size of the entry). */
export class MemoryTier implements CacheTier {
  readonly name = "memory" as const;
  readonly #lru: LRUCache<string, Slot>;
  #evictions = 0;

  constructor(options: MemoryTierOptions = {}) {
    const onEvent = options.onEvent;
    this.#lru = new LRUCache<string, Slot>({
      max: options.maxEntries ?? 1000,
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (slot) => Math.max(1, slot.bytes),
      dispose: (_slot, key, reason) => {
        if (reason !== "evict") return;
        this.#evictions += 1;
        onEvent?.({ kind: "eviction", tier: "memory", key });
      },
    });
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    return this.#lru.get(key)?.entry;
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    const bytes = Buffer.byteLength(JSON.stringify(entry), "utf8");
    this.#lru.set(key, { entry, bytes });
  }

  async delete(key: string): Promise<void> {
    this.#lru.delete(key);
  }

  async invalidateTag(tag: string): Promise<number> {
    const doomed = [...this.#lru.entries()]
      .filter(([, slot]) => slot.entry.tags.includes(tag))
      .map(([key]) => key);
    for (const key of doomed) this.#lru.delete(key);
    return doomed.length;
  }

  async stats(): Promise<TierStats> {
    return {
      entries: this.#lru.size,
      bytes: this.#lru.calculatedSize,
      evictions: this.#evictions,
      corruptEntries: 0,
    };
  }

  async list(): Promise<ListedEntry[]> {
    return [...this.#lru.entries()].map(([key, slot]) => ({
      key,
      tags: slot.entry.tags,
      createdAt: slot.entry.createdAt,
      bytes: slot.bytes,
    }));
  }

  async close(): Promise<void> {
    this.#lru.clear();
  }
}
