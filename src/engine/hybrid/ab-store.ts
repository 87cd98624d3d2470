import { cacheKey, type TieredCache } from "../../cache/index.js";
import { emptyAbHistory, parseAbHistory, type AbHistory } from "./ab-history.js";

/**
 * Online A/B histories, one per compiled program (a new program starts a new A/B), read from the
 * tiered cache on first use and written through after every observation, so evidence survives runs
 * (the Action restores the disk tier with actions/cache). Without a cache the history lives for one run.
 */
export class AbStore {
  readonly #cache: TieredCache | null;
  readonly #loaded = new Map<string, Promise<AbHistory>>();
  readonly #current = new Map<string, AbHistory>();

  constructor(cache: TieredCache | null) {
    this.#cache = cache;
  }

  static keyFor(programCacheKey: string): string {
    return cacheKey({ kind: "ab_history", program: programCacheKey });
  }

  /** The history as it stands now (reads the cache once per key per run). */
  async get(key: string): Promise<AbHistory> {
    const current = this.#current.get(key);
    if (current) return current;
    let loading = this.#loaded.get(key);
    if (!loading) {
      loading = this.#read(key);
      this.#loaded.set(key, loading);
    }
    const history = await loading;
    return this.#current.get(key) ?? history;
  }

  /** Applies `update` to the latest history (no lost update between concurrent iterations) and writes it through. */
  async update(
    key: string,
    tags: string[],
    update: (history: AbHistory) => AbHistory,
  ): Promise<AbHistory> {
    const next = update(await this.get(key));
    this.#current.set(key, next);
    await this.#cache?.set(key, next, ["ab_history", ...tags]);
    return next;
  }

  async #read(key: string): Promise<AbHistory> {
    const hit = await this.#cache?.get(key);
    return (hit && parseAbHistory(hit.entry.value)) || emptyAbHistory();
  }
}
