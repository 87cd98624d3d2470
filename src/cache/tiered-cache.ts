import type { CacheReport } from "../report/index.js";
import type { CacheEntry, CacheTier, TierName } from "./cache-tier.js";
import type { CacheReporter } from "./cache-reporter.js";
import { isFresh } from "./freshness.js";
import {
  acquireDistributedLock,
  SingleFlight,
  type DistributedLockOptions,
  type LockStore,
} from "./single-flight.js";

/** A cache hit and the tier that answered it. */
export interface CacheHit {
  entry: CacheEntry;
  tier: TierName;
}

/** Per-call options of `getOrCompute`. */
export interface GetOrComputeOptions<T> {
  /** Entries older than this are recomputed (see `maxAgeFor`). @default Infinity */
  maxAgeMs?: number;
  /** Checks a cached value's shape; `undefined` means "unusable", which is treated as a miss. */
  validate?: (value: unknown) => T | undefined;
}

/** The optimization cache: memory → disk → distributed, as the design composes them. */
export interface TieredCache {
  /** Reads top-down; a hit is promoted into the faster tiers. */
  get(key: string): Promise<CacheHit | undefined>;
  /** Writes through to every tier. Throws TypeError when `value` has no JSON form. */
  set(key: string, value: unknown, tags: string[]): Promise<void>;
  /**
   * The cached value when fresh and valid, else `compute()` once (per process via single-flight,
   * across processes via a Redis lock) and store it. Concurrent callers of one key share the first call.
   */
  getOrCompute<T>(
    key: string,
    tags: string[],
    compute: () => Promise<T>,
    options?: GetOrComputeOptions<T>,
  ): Promise<{ value: T; tier: TierName | "computed" }>;
  /** Removes every entry tagged `tag` from every tier; resolves with the largest count any tier removed. */
  invalidateTag(tag: string): Promise<number>;
  /** The run report's `cache` block so far. */
  report(): CacheReport;
  close(): Promise<void>;
}

function isLockStore(tier: CacheTier): tier is CacheTier & LockStore {
  return "tryLock" in tier && "unlock" in tier;
}

/** The tiers in order, fastest first. A tier that throws is degraded and skipped from then on. */
export class TierStack implements TieredCache {
  readonly #tiers: CacheTier[];
  readonly #active: CacheTier[];
  readonly #reporter: CacheReporter;
  readonly #clock: () => number;
  readonly #lock: DistributedLockOptions;
  readonly #flight = new SingleFlight();

  constructor(
    tiers: CacheTier[],
    reporter: CacheReporter,
    options: { clock?: () => number; lock?: DistributedLockOptions } = {},
  ) {
    this.#tiers = tiers;
    this.#active = [...tiers];
    this.#reporter = reporter;
    this.#clock = options.clock ?? Date.now;
    this.#lock = options.lock ?? {};
  }

  async get(key: string): Promise<CacheHit | undefined> {
    const hit = await this.#lookup(key, () => true);
    if (!hit) this.#reporter.miss();
    return hit;
  }

  async set(key: string, value: unknown, tags: string[]): Promise<void> {
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`cache value for ${key} has no JSON form`);
    const entry: CacheEntry = {
      value: JSON.parse(json) as unknown,
      tags: [...new Set(tags)],
      createdAt: this.#clock(),
    };
    await Promise.all(
      [...this.#active].map((tier) => this.#attempt(tier, () => tier.set(key, entry))),
    );
  }

  getOrCompute<T>(
    key: string,
    tags: string[],
    compute: () => Promise<T>,
    options: GetOrComputeOptions<T> = {},
  ): Promise<{ value: T; tier: TierName | "computed" }> {
    const maxAgeMs = options.maxAgeMs ?? Number.POSITIVE_INFINITY;
    const validate = options.validate ?? ((value: unknown) => value as T);
    const usable = (entry: CacheEntry): boolean =>
      isFresh(entry.createdAt, this.#clock(), maxAgeMs) && validate(entry.value) !== undefined;
    return this.#flight.run(key, async () => {
      const hit = await this.#lookup(key, usable);
      if (hit) return { value: validate(hit.entry.value)!, tier: hit.tier };
      const release = await this.#awaitTurn(key, usable);
      if (typeof release !== "function")
        return { value: validate(release.entry.value)!, tier: release.tier };
      try {
        this.#reporter.miss();
        const value = await compute();
        await this.set(key, value, tags);
        return { value, tier: "computed" as const };
      } finally {
        await release();
      }
    });
  }

  async invalidateTag(tag: string): Promise<number> {
    const counts = await Promise.all(
      [...this.#active].map((tier) => this.#attempt(tier, () => tier.invalidateTag(tag))),
    );
    return Math.max(0, ...counts.map((n) => n ?? 0));
  }

  report(): CacheReport {
    return this.#reporter.report();
  }

  async close(): Promise<void> {
    await Promise.all(this.#tiers.map((tier) => tier.close().catch(() => {})));
  }

  /** Top-down read; the first usable entry wins and is copied into every faster tier. */
  async #lookup(
    key: string,
    usable: (entry: CacheEntry) => boolean,
  ): Promise<CacheHit | undefined> {
    for (const tier of [...this.#active]) {
      const entry = await this.#attempt(tier, () => tier.get(key));
      if (!entry || !usable(entry)) continue;
      for (const faster of this.#tiers.slice(0, this.#tiers.indexOf(tier))) {
        if ((await this.#attempt(faster, () => faster.set(key, entry).then(() => true))) === true)
          this.#reporter.promoted();
      }
      this.#reporter.hit(tier.name);
      return { entry, tier: tier.name };
    }
    return undefined;
  }

  /**
   * Takes the cross-process lock when a distributed tier is active. Resolves with the release
   * function, or with a hit when another process stored the value while this one waited.
   */
  async #awaitTurn(
    key: string,
    usable: (entry: CacheEntry) => boolean,
  ): Promise<(() => Promise<void>) | CacheHit> {
    const noop = async () => {};
    const store = this.#active.find(isLockStore);
    if (!store) return noop;
    const settled = async () => {
      const entry = await store.get(key);
      return entry !== undefined && usable(entry);
    };
    const outcome = await acquireDistributedLock(store, key, settled, this.#lock);
    if (outcome.kind === "failed") this.#degrade(store, outcome.error);
    if (outcome.kind === "settled") return (await this.#lookup(key, usable)) ?? noop;
    if (outcome.kind !== "acquired") return noop;
    const release = () => this.#attempt(store, outcome.release).then(() => {});
    // Double-check: the previous holder may have stored the value and released between our polls.
    const hit = await this.#lookup(key, usable);
    if (!hit) return release;
    await release();
    return hit;
  }

  /** Runs one tier operation; a failure degrades the tier and resolves undefined. */
  async #attempt<R>(tier: CacheTier, op: () => Promise<R>): Promise<R | undefined> {
    if (!this.#active.includes(tier)) return undefined;
    try {
      return await op();
    } catch (error) {
      this.#degrade(tier, error);
      return undefined;
    }
  }

  #degrade(tier: CacheTier, error: unknown): void {
    const index = this.#active.indexOf(tier);
    if (index >= 0) this.#active.splice(index, 1);
    const reason = error instanceof Error ? error.message : String(error);
    this.#reporter.degrade(tier.name, reason);
  }
}
