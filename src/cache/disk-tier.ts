import { createHash, randomBytes } from "node:crypto";
import { mkdir, rename, rm, unlink, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import {
  CacheTierError,
  type CacheEntry,
  type CacheTier,
  type ListedEntry,
  type TierEvent,
  type TierStats,
} from "./cache-tier.js";
import { CACHE_FORMAT_VERSION, decodeEntry, encodeEntry } from "./entry-codec.js";
import { readEntryFile } from "./read-entry-file.js";
import { scanEntryFiles, type StoredFile } from "./scan-entry-files.js";

/** The directory the Action restores and saves with `@actions/cache`, relative to the working directory. */
export const DEFAULT_CACHE_DIR = ".hybrid-pipeline/cache";

/** Options of the directory tier. */
export interface DiskTierOptions {
  /** Absolute (or cwd-relative) cache directory. */
  dir: string;
  /** Size cap over all entry files; the oldest (by mtime) are evicted past it. @default 256 MiB */
  maxBytes?: number;
  /** Largest entry file read or written; a bigger one is refused as corrupt. @default 16 MiB */
  maxEntryBytes?: number;
  onEvent?: (event: TierEvent) => void;
}

/** What `prune` removed. */
export interface PruneResult {
  expired: number;
  /** Entry files that failed their checks (bad JSON, checksum, version, over the entry cap). */
  corrupt: number;
  /** Directories, symbolic links and special files squatting on an entry's name. */
  notFiles: number;
  evicted: number;
  tempFiles: number;
}

/** One `.json` name under the cache, read and checked. */
type Scanned = StoredFile &
  ({ status: "ok"; key: string; entry: CacheEntry } | { status: "corrupt"; reason: string });

/** A temp file this old was left by a writer that died; younger ones may still be renamed. */
const STALE_TEMP_MS = 10 * 60 * 1000;

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/** One entry's read or write failed; the tier stays in use for every other entry. */
function ioError(action: string, error: unknown): CacheTierError {
  const code = errorCode(error);
  const why = typeof code === "string" ? code : (error as Error).message;
  return new CacheTierError("disk", "io", `cannot ${action} (${why})`, {
    cause: error,
    scope: "operation",
  });
}

/**
 * Entries as `<dir>/v1/<2-char prefix>/<key>.json`, each written to a temp file and renamed into
 * place, so readers (and other processes) see a whole entry or none. Every failure concerns one
 * operation only: a read-only directory still serves reads, one bad entry does not hide the others.
 * Corrupt entries are reported and never returned; a read discards them, `list` shows them.
 */
export class DiskTier implements CacheTier {
  readonly name = "disk" as const;
  readonly #root: string;
  readonly #maxBytes: number;
  readonly #maxEntryBytes: number;
  readonly #onEvent: (event: TierEvent) => void;
  #approxBytes: number | undefined;
  #evictions = 0;
  #corrupt = 0;

  constructor(options: DiskTierOptions) {
    this.#root = join(options.dir, `v${CACHE_FORMAT_VERSION}`);
    this.#maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.#maxEntryBytes = options.maxEntryBytes ?? 16 * 1024 * 1024;
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
    const file = await readEntryFile(path, this.#maxEntryBytes);
    if (file.kind === "missing") return undefined;
    if (file.kind === "refused") {
      // A directory is left for `cache prune`; links and oversized files are removed if we may.
      this.#reportCorrupt(path, key, `refused: ${file.reason}`);
      if (file.removable) await unlink(path).catch(() => {});
      return undefined;
    }
    const decoded = decodeEntry(file.text, key);
    if (decoded.kind === "ok") return decoded.entry;
    this.#reportCorrupt(path, key, decoded.reason);
    await unlink(path).catch(() => {});
    return undefined;
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    const path = this.pathFor(key);
    const text = encodeEntry(key, entry);
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > this.#maxEntryBytes)
      throw ioError(`write ${path}`, new Error(`${bytes} bytes, over the entry cap`));
    const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(temp, text, "utf8");
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw ioError(`write ${path}`, error);
    }
    this.#approxBytes ??= (await this.#files()).reduce((sum, f) => sum + f.bytes, 0);
    this.#approxBytes += bytes;
    if (this.#approxBytes > this.#maxBytes) await this.#enforceCap();
  }

  async delete(key: string): Promise<void> {
    await this.#remove(this.pathFor(key));
  }

  async invalidateTag(tag: string): Promise<number> {
    let removed = 0;
    for (const scanned of await this.#readAll()) {
      if (scanned.status !== "ok" || !scanned.entry.tags.includes(tag)) continue;
      await this.#remove(scanned.path);
      removed += 1;
    }
    return removed;
  }

  async stats(): Promise<TierStats> {
    const files = await this.#files();
    const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
    return {
      entries: files.length,
      bytes,
      evictions: this.#evictions,
      corruptEntries: this.#corrupt,
    };
  }

  /** Every entry, corrupt ones included (marked, with the reason); nothing is deleted. */
  async list(): Promise<ListedEntry[]> {
    return (await this.#readAll()).map((s) =>
      s.status === "ok"
        ? { key: s.key, tags: s.entry.tags, createdAt: s.entry.createdAt, bytes: s.bytes }
        : {
            key: basename(s.path, ".json"),
            tags: [],
            createdAt: s.mtimeMs,
            bytes: s.bytes,
            corrupt: s.reason,
          },
    );
  }

  /**
   * Drops corrupt entries, whatever squats on an entry's name (directories, links), entries older
   * than `maxAgeMs` at `now`, temp files older than `maxAgeMs` (default 10 min), and enforces the cap.
   */
  async prune(options: { maxAgeMs?: number; now: number }): Promise<PruneResult> {
    const evictionsBefore = this.#evictions;
    let expired = 0;
    let corrupt = 0;
    let notFiles = 0;
    for (const scanned of await this.#readAll()) {
      if (scanned.status === "corrupt") {
        await rm(scanned.path, { recursive: true, force: true }).catch((error: unknown) => {
          throw ioError(`delete ${scanned.path}`, error);
        });
        if (scanned.kind === "file") corrupt += 1;
        else notFiles += 1;
      } else if (
        options.maxAgeMs !== undefined &&
        options.now - scanned.entry.createdAt > options.maxAgeMs
      ) {
        await this.#remove(scanned.path);
        expired += 1;
      }
    }
    let tempFiles = 0;
    // File times come from the real clock, whatever clock judges the entries' ages.
    const fsNow = Date.now();
    for (const file of await scanEntryFiles(this.#root, ".tmp")) {
      if (fsNow - file.mtimeMs < (options.maxAgeMs ?? STALE_TEMP_MS)) continue;
      await rm(file.path, { recursive: true, force: true });
      tempFiles += 1;
    }
    await this.#enforceCap();
    return { expired, corrupt, notFiles, evicted: this.#evictions - evictionsBefore, tempFiles };
  }

  async close(): Promise<void> {}

  /** Every `.json` name, read through the same checks as `get`. */
  async #readAll(): Promise<Scanned[]> {
    const out: Scanned[] = [];
    for (const file of await scanEntryFiles(this.#root, ".json")) {
      const read = await readEntryFile(file.path, this.#maxEntryBytes);
      if (read.kind === "missing") continue;
      if (read.kind === "refused") {
        out.push({ ...file, status: "corrupt", reason: `refused: ${read.reason}` });
        continue;
      }
      const decoded = decodeEntry(read.text);
      if (decoded.kind === "ok" && this.pathFor(decoded.key) === file.path)
        out.push({ ...file, status: "ok", key: decoded.key, entry: decoded.entry });
      else
        out.push({
          ...file,
          status: "corrupt",
          reason: decoded.kind === "ok" ? "stored under another key's path" : decoded.reason,
        });
    }
    return out;
  }

  /** Regular entry files only. */
  async #files(): Promise<StoredFile[]> {
    return (await scanEntryFiles(this.#root, ".json")).filter((f) => f.kind === "file");
  }

  async #enforceCap(): Promise<void> {
    const files = (await this.#files()).sort((a, b) => a.mtimeMs - b.mtimeMs);
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

  #reportCorrupt(path: string, key: string, reason: string): void {
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
