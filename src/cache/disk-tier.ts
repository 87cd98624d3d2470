import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  CacheTierError,
  type CacheEntry,
  type CacheTier,
  type ListedEntry,
  type TierEvent,
  type TierStats,
} from "./cache-tier.js";
import { CACHE_FORMAT_VERSION, decodeEntry, encodeEntry } from "./entry-codec.js";

/** The directory the Action restores and saves with `@actions/cache`, relative to the working directory. */
export const DEFAULT_CACHE_DIR = ".hybrid-pipeline/cache";

/** Options of the directory tier. */
export interface DiskTierOptions {
  /** Absolute (or cwd-relative) cache directory. */
  dir: string;
  /** Size cap over all entry files; the oldest (by mtime) are evicted past it. @default 256 MiB */
  maxBytes?: number;
  onEvent?: (event: TierEvent) => void;
}

/** What `prune` removed. */
export interface PruneResult {
  expired: number;
  corrupt: number;
  evicted: number;
  tempFiles: number;
}

interface StoredFile {
  path: string;
  bytes: number;
  mtimeMs: number;
}

/** A temp file this old was left by a writer that died; younger ones may still be renamed. */
const STALE_TEMP_MS = 10 * 60 * 1000;

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

function ioError(action: string, error: unknown): CacheTierError {
  return new CacheTierError("disk", "io", `cannot ${action}: ${(error as Error).message}`, {
    cause: error,
  });
}

/**
 * Entries as `<dir>/v1/<2-char prefix>/<key>.json`, each written to a temp file and renamed into
 * place, so readers (and other processes) see a whole entry or none. Corrupt or foreign-version
 * entries are deleted and reported, never returned.
 */
export class DiskTier implements CacheTier {
  readonly name = "disk" as const;
  readonly #root: string;
  readonly #maxBytes: number;
  readonly #onEvent: (event: TierEvent) => void;
  #approxBytes: number | undefined;
  #evictions = 0;
  #corrupt = 0;

  constructor(options: DiskTierOptions) {
    this.#root = join(options.dir, `v${CACHE_FORMAT_VERSION}`);
    this.#maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.#onEvent = options.onEvent ?? (() => {});
  }

  /** Where `key` is stored. Keys that are not hex digests are hashed into a safe file name. */
  pathFor(key: string): string {
    const name = /^[a-f0-9]{16,128}$/.test(key)
      ? key
      : createHash("sha256").update(key).digest("hex");
    return join(this.#root, name.slice(0, 2), `${name}.json`);
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    const path = this.pathFor(key);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if (errorCode(error) === "ENOENT") return undefined;
      throw ioError(`read ${path}`, error);
    }
    const decoded = decodeEntry(text, key);
    if (decoded.kind === "ok") return decoded.entry;
    await this.#discard(path, key, decoded.reason);
    return undefined;
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    const path = this.pathFor(key);
    const text = encodeEntry(key, entry);
    const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(temp, text, "utf8");
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw ioError(`write ${path}`, error);
    }
    this.#approxBytes ??= (await this.#scan()).reduce((sum, f) => sum + f.bytes, 0);
    this.#approxBytes += Buffer.byteLength(text, "utf8");
    if (this.#approxBytes > this.#maxBytes) await this.#enforceCap();
  }

  async delete(key: string): Promise<void> {
    await this.#remove(this.pathFor(key));
  }

  async invalidateTag(tag: string): Promise<number> {
    let removed = 0;
    for (const { path, entry } of await this.#readAll()) {
      if (!entry.tags.includes(tag)) continue;
      await this.#remove(path);
      removed += 1;
    }
    return removed;
  }

  async stats(): Promise<TierStats> {
    const files = await this.#scan();
    const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
    return {
      entries: files.length,
      bytes,
      evictions: this.#evictions,
      corruptEntries: this.#corrupt,
    };
  }

  async list(): Promise<ListedEntry[]> {
    return (await this.#readAll()).map(({ key, entry, bytes }) => ({
      key,
      tags: entry.tags,
      createdAt: entry.createdAt,
      bytes,
    }));
  }

  /** Drops corrupt entries, entries older than `maxAgeMs` at `now`, stale temp files, and enforces the cap. */
  async prune(options: { maxAgeMs?: number; now: number }): Promise<PruneResult> {
    const corruptBefore = this.#corrupt;
    const evictionsBefore = this.#evictions;
    let expired = 0;
    for (const { path, entry } of await this.#readAll()) {
      if (options.maxAgeMs === undefined || options.now - entry.createdAt <= options.maxAgeMs)
        continue;
      await this.#remove(path);
      expired += 1;
    }
    let tempFiles = 0;
    // File times come from the real clock, whatever clock judges the entries' ages.
    const fsNow = Date.now();
    for (const file of await this.#scan(".tmp")) {
      if (fsNow - file.mtimeMs < STALE_TEMP_MS) continue;
      await this.#remove(file.path);
      tempFiles += 1;
    }
    await this.#enforceCap();
    return {
      expired,
      corrupt: this.#corrupt - corruptBefore,
      evicted: this.#evictions - evictionsBefore,
      tempFiles,
    };
  }

  async close(): Promise<void> {}

  async #readAll(): Promise<
    Array<{ path: string; key: string; entry: CacheEntry; bytes: number }>
  > {
    const out: Array<{ path: string; key: string; entry: CacheEntry; bytes: number }> = [];
    for (const file of await this.#scan()) {
      const text = await readFile(file.path, "utf8").catch((error: unknown) => {
        if (errorCode(error) === "ENOENT") return undefined;
        throw ioError(`read ${file.path}`, error);
      });
      if (text === undefined) continue;
      const decoded = decodeEntry(text);
      if (decoded.kind === "ok" && this.pathFor(decoded.key) === file.path)
        out.push({ path: file.path, key: decoded.key, entry: decoded.entry, bytes: file.bytes });
      else
        await this.#discard(
          file.path,
          file.path,
          decoded.kind === "ok" ? "stored under another key's path" : decoded.reason,
        );
    }
    return out;
  }

  async #scan(suffix = ".json"): Promise<StoredFile[]> {
    const files: StoredFile[] = [];
    for (const prefix of await this.#readdir(this.#root)) {
      const dir = join(this.#root, prefix);
      for (const name of await this.#readdir(dir)) {
        if (!name.endsWith(suffix)) continue;
        const path = join(dir, name);
        const info = await stat(path).catch(() => undefined);
        if (info?.isFile()) files.push({ path, bytes: info.size, mtimeMs: info.mtimeMs });
      }
    }
    return files;
  }

  async #readdir(dir: string): Promise<string[]> {
    try {
      return await readdir(dir);
    } catch (error) {
      if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") return [];
      throw ioError(`list ${dir}`, error);
    }
  }

  async #enforceCap(): Promise<void> {
    const files = (await this.#scan()).sort((a, b) => a.mtimeMs - b.mtimeMs);
    let total = files.reduce((sum, f) => sum + f.bytes, 0);
    for (const file of files) {
      if (total <= this.#maxBytes) break;
      await this.#remove(file.path);
      total -= file.bytes;
      this.#evictions += 1;
      this.#onEvent({ kind: "eviction", tier: "disk", key: file.path });
    }
    this.#approxBytes = total;
  }

  async #discard(path: string, key: string, reason: string): Promise<void> {
    await this.#remove(path);
    this.#corrupt += 1;
    this.#onEvent({ kind: "corrupt", tier: "disk", key, reason: `${path}: ${reason}` });
  }

  async #remove(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (error) {
      if (errorCode(error) !== "ENOENT") throw ioError(`delete ${path}`, error);
    }
  }
}
