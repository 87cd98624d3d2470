import { Redis } from "ioredis";
import {
  CacheTierError,
  type CacheEntry,
  type CacheTier,
  type ListedEntry,
  type TierEvent,
  type TierStats,
} from "./cache-tier.js";
import { CACHE_FORMAT_VERSION, decodeEntry, encodeEntry } from "./entry-codec.js";
import type { LockStore } from "./single-flight.js";

/** The environment variable the faces read when `--redis-url` is absent. */
export const REDIS_URL_ENV = "HYBRID_PIPELINE_REDIS_URL";

/** Options of the Redis tier. */
export interface RedisTierOptions {
  /** `redis://[user:password@]host:port[/db]`; never logged (it may carry a password). */
  url: string;
  /** Prefix of every key, so several projects can share one server. @default "hybrid-pipeline" */
  namespace?: string;
  /** Time to live of every entry and tag index. @default 30 days */
  ttlMs?: number;
  /** @default 2000 */
  connectTimeoutMs?: number;
  /** @default 1000 */
  commandTimeoutMs?: number;
  onEvent?: (event: TierEvent) => void;
}

const RELEASE_LOCK = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/**
 * Entries under `<ns>:v1:entry:<key>` with a TTL; a SET per tag (`<ns>:v1:tag:<tag>`) and one of all
 * keys (`<ns>:v1:keys`) make invalidation and listing index lookups, never KEYS or SCAN.
 * The client never reconnects and never queues offline: a lost server fails fast with CacheTierError.
 */
export class RedisTier implements CacheTier, LockStore {
  readonly name = "distributed" as const;
  readonly #client: Redis;
  readonly #ns: string;
  readonly #ttlMs: number;
  readonly #commandTimeoutMs: number;
  readonly #onEvent: (event: TierEvent) => void;
  #corrupt = 0;

  private constructor(client: Redis, options: RedisTierOptions) {
    this.#client = client;
    this.#ns = `${options.namespace ?? "hybrid-pipeline"}:v${CACHE_FORMAT_VERSION}`;
    this.#ttlMs = options.ttlMs ?? 30 * 24 * 60 * 60 * 1000;
    this.#commandTimeoutMs = options.commandTimeoutMs ?? 1000;
    this.#onEvent = options.onEvent ?? (() => {});
  }

  /** Connects within `connectTimeoutMs`; rejects with CacheTierError("unavailable") otherwise. */
  static async connect(options: RedisTierOptions): Promise<RedisTier> {
    const client = new Redis(options.url, {
      lazyConnect: true,
      connectTimeout: options.connectTimeoutMs ?? 2000,
      commandTimeout: options.commandTimeoutMs ?? 1000,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      // One connection attempt, no reconnect loop: the tiered cache degrades the tier instead.
      retryStrategy: () => null,
      // Bounds how long close() waits for a socket that will not end (a frozen server).
      disconnectTimeout: 200,
    });
    // Errors surface through the rejected commands; an unhandled 'error' event would crash the process.
    let socketError: Error | undefined;
    client.on("error", (error: Error) => {
      socketError ??= error;
    });
    try {
      await client.connect();
    } catch (error) {
      // A client already at "end" has no socket left; disconnect() would then arm ioredis's 2 s
      // disconnectTimeout on the dead stream and hold the process open that long (issue 16).
      if (client.status !== "end") client.disconnect();
      // connect() rejects with "Connection is closed."; the socket's own error says why (ECONNREFUSED ...).
      const cause = socketError ?? error;
      throw new CacheTierError(
        "distributed",
        "unavailable",
        `cannot connect to Redis: ${(cause as Error).message}`,
        { cause },
      );
    }
    return new RedisTier(client, options);
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    const text = await this.#run("GET", () => this.#client.get(this.#entryKey(key)));
    return text === null ? undefined : this.#decode(key, text);
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    const multi = this.#client
      .multi()
      .set(this.#entryKey(key), encodeEntry(key, entry), "PX", this.#ttlMs)
      .sadd(this.#keysIndex(), key);
    for (const tag of entry.tags)
      multi.sadd(this.#tagKey(tag), key).pexpire(this.#tagKey(tag), this.#ttlMs);
    await this.#exec("SET", () => multi.exec());
  }

  async delete(key: string): Promise<void> {
    await this.#exec("DEL", () =>
      this.#client.multi().del(this.#entryKey(key)).srem(this.#keysIndex(), key).exec(),
    );
  }

  async invalidateTag(tag: string): Promise<number> {
    const keys = await this.#run("SMEMBERS", () => this.#client.smembers(this.#tagKey(tag)));
    if (keys.length === 0) return 0;
    const multi = this.#client
      .multi()
      .del(...keys.map((k) => this.#entryKey(k)))
      .srem(this.#keysIndex(), ...keys)
      .del(this.#tagKey(tag));
    const results = await this.#exec("DEL", () => multi.exec());
    return Number(results[0]);
  }

  async stats(): Promise<TierStats> {
    const keys = await this.#liveKeys();
    const sizes = await this.#exec("STRLEN", () => {
      const pipeline = this.#client.pipeline();
      for (const key of keys) pipeline.strlen(this.#entryKey(key));
      return pipeline.exec();
    });
    const bytes = sizes.reduce<number>((sum, size) => sum + Number(size), 0);
    return { entries: keys.length, bytes, evictions: 0, corruptEntries: this.#corrupt };
  }

  /** Every entry, corrupt ones included (marked, dated now: their time is unknown); nothing is deleted. */
  async list(): Promise<ListedEntry[]> {
    const listed: ListedEntry[] = [];
    for (const key of await this.#liveKeys()) {
      const text = await this.#run("GET", () => this.#client.get(this.#entryKey(key)));
      if (text === null) continue;
      const bytes = Buffer.byteLength(text, "utf8");
      const decoded = decodeEntry(text, key);
      if (decoded.kind === "ok")
        listed.push({ key, tags: decoded.entry.tags, createdAt: decoded.entry.createdAt, bytes });
      else listed.push({ key, tags: [], createdAt: Date.now(), bytes, corrupt: decoded.reason });
    }
    return listed;
  }

  async tryLock(name: string, token: string, ttlMs: number): Promise<boolean> {
    const reply = await this.#run("SET NX", () =>
      this.#client.set(this.lockKey(name), token, "PX", ttlMs, "NX"),
    );
    return reply === "OK";
  }

  async unlock(name: string, token: string): Promise<void> {
    await this.#run("EVAL", () => this.#client.eval(RELEASE_LOCK, 1, this.lockKey(name), token));
  }

  lockKey(name: string): string {
    return `${this.#ns}:lock:${name}`;
  }

  async close(): Promise<void> {
    if (this.#client.status === "ready")
      await this.#client.quit().catch(() => this.#client.disconnect());
    else if (this.#client.status !== "end") this.#client.disconnect();
  }

  /** Keys of the index whose entry still exists; members whose entry expired are dropped from the index. */
  async #liveKeys(): Promise<string[]> {
    const keys = await this.#run("SMEMBERS", () => this.#client.smembers(this.#keysIndex()));
    if (keys.length === 0) return [];
    const exists = await this.#exec("EXISTS", () => {
      const pipeline = this.#client.pipeline();
      for (const key of keys) pipeline.exists(this.#entryKey(key));
      return pipeline.exec();
    });
    const stale = keys.filter((_, i) => Number(exists[i]) === 0);
    if (stale.length > 0)
      await this.#run("SREM", () => this.#client.srem(this.#keysIndex(), ...stale));
    return keys.filter((_, i) => Number(exists[i]) !== 0).sort();
  }

  /** A corrupt or foreign-version value is deleted and reported, never returned. */
  async #decode(key: string, text: string): Promise<CacheEntry | undefined> {
    const decoded = decodeEntry(text, key);
    if (decoded.kind === "ok") return decoded.entry;
    await this.delete(key);
    this.#corrupt += 1;
    this.#onEvent({ kind: "corrupt", tier: "distributed", key, reason: decoded.reason });
    return undefined;
  }

  #entryKey(key: string): string {
    return `${this.#ns}:entry:${key}`;
  }

  #tagKey(tag: string): string {
    return `${this.#ns}:tag:${tag}`;
  }

  #keysIndex(): string {
    return `${this.#ns}:keys`;
  }

  /** Runs a MULTI or pipeline and unwraps its per-command errors into one CacheTierError. */
  async #exec(
    command: string,
    fn: () => Promise<Array<[Error | null, unknown]> | null>,
  ): Promise<unknown[]> {
    const results = await this.#run(command, fn);
    if (results === null)
      throw new CacheTierError("distributed", "io", `${command}: transaction aborted`);
    const failed = results.find(([error]) => error !== null);
    if (failed)
      throw new CacheTierError("distributed", "io", `${command}: ${failed[0]!.message}`, {
        cause: failed[0],
      });
    return results.map(([, value]) => value);
  }

  async #run<T>(command: string, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await fn();
    } catch (error) {
      const timedOut = performance.now() - started >= this.#commandTimeoutMs;
      const code = timedOut ? "timeout" : this.#client.status === "ready" ? "io" : "unavailable";
      throw new CacheTierError(
        "distributed",
        code,
        `Redis ${command} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
}
