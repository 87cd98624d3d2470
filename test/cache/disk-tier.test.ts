import { execFileSync } from "node:child_process";
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  truncate,
  unlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DiskTier, encodeEntry, type TierEvent } from "../../src/cache/index.js";

const KEY = "ab".repeat(32);
const entry = { value: { demos: ["d1", "d2"] }, tags: ["step:analyze"], createdAt: 1_000 };

let dir: string;
let events: TierEvent[];
let tier: DiskTier;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hp-disk-"));
  events = [];
  tier = new DiskTier({ dir, onEvent: (e) => events.push(e) });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

describe("disk tier", () => {
  it("stores an entry at v1/<prefix>/<key>.json with no temp file left behind", async () => {
    await tier.set(KEY, entry);
    expect(await filesUnder(dir)).toEqual([`v1/ab/${KEY}.json`]);
    expect(await readFile(join(dir, "v1", "ab", `${KEY}.json`), "utf8")).toBe(
      encodeEntry(KEY, entry),
    );
    expect(await tier.get(KEY)).toEqual(entry);
  });

  it.each([
    [
      "a flipped byte",
      async (path: string) => {
        const bytes = await readFile(path);
        bytes[bytes.indexOf("d1")] = "e".charCodeAt(0);
        await writeFile(path, bytes);
      },
    ],
    ["a truncated file", async (path: string) => truncate(path, 40)],
    [
      "a wrong format version",
      async (path: string) =>
        writeFile(path, (await readFile(path, "utf8")).replace('"version":1', '"version":2')),
    ],
  ])("discards and reports %s, never returning it", async (_name, damage) => {
    await tier.set(KEY, entry);
    const path = tier.pathFor(KEY);
    await damage(path);
    expect(await tier.get(KEY)).toBeUndefined();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "corrupt", tier: "disk", key: KEY });
    await expect(stat(path)).rejects.toMatchObject({ code: "ENOENT" });
    expect((await tier.stats()).corruptEntries).toBe(1);
  });

  it("evicts the oldest entries by mtime past the size cap", async () => {
    const size = Buffer.byteLength(encodeEntry("k0", entry));
    const capped = new DiskTier({ dir, maxBytes: size * 2 + 10, onEvent: (e) => events.push(e) });
    await capped.set("k0", entry);
    await utimes(capped.pathFor("k0"), 1000, 1000);
    await capped.set("k1", entry);
    await utimes(capped.pathFor("k1"), 2000, 2000);
    await capped.set("k2", entry);
    expect(await capped.get("k0")).toBeUndefined();
    expect(await capped.get("k1")).toEqual(entry);
    expect(await capped.get("k2")).toEqual(entry);
    expect(events.filter((e) => e.kind === "eviction")).toHaveLength(1);
  });

  it("invalidates by tag and lists what remains", async () => {
    await tier.set("k1", { ...entry, tags: ["step:analyze", "signature:s1"] });
    await tier.set("k2", { ...entry, tags: ["step:summarize"] });
    expect(await tier.invalidateTag("step:analyze")).toBe(1);
    expect(await tier.list()).toEqual([
      {
        key: "k2",
        tags: ["step:summarize"],
        createdAt: 1_000,
        bytes: Buffer.byteLength(encodeEntry("k2", { ...entry, tags: ["step:summarize"] })),
      },
    ]);
  });

  it("prunes expired and corrupt entries and stale temp files", async () => {
    await tier.set("old", { ...entry, createdAt: 0 });
    await tier.set("new", { ...entry, createdAt: 9_000 });
    await tier.set("bad", entry);
    await truncate(tier.pathFor("bad"), 10);
    const temp = `${tier.pathFor("new")}.123.abc.tmp`;
    await writeFile(temp, "{");
    await utimes(temp, 0, 0);
    const result = await tier.prune({ maxAgeMs: 5_000, now: 10_000 });
    expect(result).toEqual({ expired: 1, corrupt: 1, notFiles: 0, evicted: 0, tempFiles: 1 });
    expect((await tier.list()).map((e) => e.key)).toEqual(["new"]);
  });

  it.each([
    ["a symbolic link to /dev/zero", (path: string) => symlink("/dev/zero", path), false],
    ["a FIFO", async (path: string) => void execFileSync("mkfifo", [path]), false],
    ["a file over the entry cap", (path: string) => writeFile(path, "x".repeat(2048)), false],
    ["a directory", (path: string) => mkdir(path), true],
  ])("refuses %s without reading it, as a corrupt entry", async (_kind, make, stays) => {
    const small = new DiskTier({ dir, maxEntryBytes: 1024, onEvent: (e) => events.push(e) });
    await small.set(KEY, entry);
    await small.set("cd".repeat(32), entry);
    await unlink(small.pathFor(KEY));
    await make(small.pathFor(KEY));
    expect(await small.get(KEY)).toBeUndefined();
    expect(events).toEqual([
      { kind: "corrupt", tier: "disk", key: KEY, reason: expect.stringContaining("refused: ") },
    ]);
    expect(await small.get("cd".repeat(32))).toEqual(entry);
    const kept = expect.objectContaining({ key: "cd".repeat(32), tags: entry.tags });
    const marked = expect.objectContaining({ key: KEY, corrupt: "refused: a directory" });
    const listed = await small.list();
    expect(listed).toEqual(stays ? expect.arrayContaining([kept, marked]) : [kept]);
    expect(listed).toHaveLength(stays ? 2 : 1);
  });

  it("reads nothing from a directory that does not exist yet", async () => {
    const fresh = new DiskTier({ dir: join(dir, "missing") });
    expect(await fresh.get(KEY)).toBeUndefined();
    expect(await fresh.stats()).toEqual({ entries: 0, bytes: 0, evictions: 0, corruptEntries: 0 });
  });
});
