import type { CacheReport } from "../report/index.js";
import { CacheTierError, type CacheEntry, type CacheTier, type TierName } from "./cache-tier.js";
import type { CacheReporter } from "./cache-reporter.js";
import { isFresh } from "./freshness.js";
import {
  acquireDistributedLock,
  DEFAULT_LOCK_WAIT_MS,
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

/** Options of `get`. */
export interface GetOptions {
  /** Checks a cached value's shape; a value it rejects is counted corrupt, dropped and missed. */
  validate?: (value: unknown) => unknown;
}

/** A cross-process lock another process holds, which this one now waits for. */
export interface LockWait {
  key: string;
  tags: string[];
  /** The lock's name in its store (the Redis key). */
  lock: string;
  /** How long this process waits at most before computing anyway. */
  waitMs: number;
}

/** The optimization cache: memory → disk → distributed, as the design composes them. */
export interface TieredCache {
  /** Reads top-down; a hit is promoted into the faster tiers. */
  get(key: string, options?: GetOptions): Promise<CacheHit | undefined>;
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
  /** Releases every cross-process lock still held (a stopped run's computations), then closes the tiers. */
  close(): Promise<void>;
}

/** Options of the tier stack. */
export interface TierStackOptions {
  /** @default Date.now */
  clock?: () => number;
  lock?: DistributedLockOptions;
  /** Called once per key when another process holds its lock and this one starts waiting. */
  onLockWait?: (wait: LockWait) => void;
}

/** How `#lookup` judges an entry: too old is skipped; the wrong shape is corrupt. */
interface Check {
  maxAgeMs: number;
  validate: (value: unknown) => unknown;
}

const ANY: Check = { maxAgeMs: Number.POSITIVE_INFINITY, validate: (v) => v };

function isLockStore(tier: CacheTier): tier is CacheTier & LockStore {
  return "tryLock" in tier && "unlock" in tier;
}

/**
 * The tiers in order, fastest first. A tier whose store fails (scope "tier") is degraded and
 * skipped from then on; a failed operation (scope "operation") is counted and the tier stays.
 */
export class TierStack implements TieredCache {
  readonly #tiers: CacheTier[];
  readonly #active: CacheTier[];
  readonly #reporter: CacheReporter;
  readonly #clock: () => number;
  readonly #lock: DistributedLockOptions;
  readonly #onLockWait: (wait: LockWait) => void;
  readonly #flight = new SingleFlight();
  readonly #held = new Set<() => Promise<void>>();

  constructor(tiers: CacheTier[], reporter: CacheReporter, options: TierStackOptions = {}) {
    this.#tiers = tiers;
    this.#active = [...tiers];
    this.#reporter = reporter;
    this.#clock = options.clock ?? Date.now;
    this.#lock = options.lock ?? {};
    this.#onLockWait = options.onLockWait ?? (() => {});
  }

  async get(key: string, options: GetOptions = {}): Promise<CacheHit | undefined> {
    const hit = await this.#lookup(key, { ...ANY, validate: options.validate ?? ANY.validate });
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
    const validate = options.validate ?? ((value: unknown) => value as T);
    const check: Check = { maxAgeMs: options.maxAgeMs ?? Number.POSITIVE_INFINITY, validate };
    return this.#flight.run(key, async () => {
      const hit = await this.#lookup(key, check);
      if (hit) return { value: validate(hit.entry.value)!, tier: hit.tier };
      const release = await this.#awaitTurn(key, tags, check);
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
    await Promise.all([...this.#held].map((release) => release()));
    await Promise.all(this.#tiers.map((tier) => tier.close().catch(() => {})));
  }

  #usable(entry: CacheEntry, check: Check): boolean {
    return (
      isFresh(entry.createdAt, this.#clock(), check.maxAgeMs) &&
      check.validate(entry.value) !== undefined
    );
  }

  /**
   * Top-down read; the first fresh entry of the right shape wins and is copied into every faster
   * tier. An entry of the wrong shape (its checksum held) is counted corrupt and dropped from its tier.
   */
  async #lookup(key: string, check: Check): Promise<CacheHit | undefined> {
    for (const tier of [...this.#active]) {
      const entry = await this.#attempt(tier, () => tier.get(key));
      if (!entry || !isFresh(entry.createdAt, this.#clock(), check.maxAgeMs)) continue;
      if (check.validate(entry.value) === undefined) {
        this.#reporter.wrongShape(tier.name, key);
        await this.#attempt(tier, () => tier.delete(key));
        continue;
      }
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
    tags: string[],
    check: Check,
  ): Promise<(() => Promise<void>) | CacheHit> {
    const noop = async () => {};
    const store = this.#active.find(isLockStore);
    if (!store) return noop;
    const settled = async () => {
      const entry = await store.get(key);
      return entry !== undefined && this.#usable(entry, check);
    };
    const waitMs = this.#lock.waitMs ?? DEFAULT_LOCK_WAIT_MS;
    const outcome = await acquireDistributedLock(store, key, settled, {
      ...this.#lock,
      onWait: () =>
        this.#onLockWait({ key, tags: [...tags], lock: store.lockKey?.(key) ?? key, waitMs }),
    });
    if (outcome.kind === "failed") this.#degrade(store, outcome.error);
    if (outcome.kind === "settled") return (await this.#lookup(key, check)) ?? noop;
    if (outcome.kind !== "acquired") return noop;
    const release = async () => {
      if (!this.#held.delete(release)) return;
      await this.#attempt(store, outcome.release);
    };
    this.#held.add(release);
    // Double-check: the previous holder may have stored the value and released between our polls.
    const hit = await this.#lookup(key, check);
    if (!hit) return release;
    await release();
    return hit;
  }

  /** Runs one tier operation; a failure resolves undefined and degrades the tier if its store failed. */
  async #attempt<R>(tier: CacheTier, op: () => Promise<R>): Promise<R | undefined> {
    if (!this.#active.includes(tier)) return undefined;
    try {
      return await op();
    } catch (error) {
      if (error instanceof CacheTierError && error.scope === "operation")
        this.#reporter.operationFailed(tier.name, error.message);
      else this.#degrade(tier, error);
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
