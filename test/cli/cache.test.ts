import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, stat, truncate, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { DiskTier, RedisTier, encodeEntry } from "../../src/cache/index.js";
import type { CliIo } from "../../src/cli/cli-io.js";
import { main } from "../../src/cli/main.js";
import { redisSkipReason, startRedisServer, type TestRedis } from "../support/redis-server.js";

const HOUR = 3_600_000;
let dir: string;

function io(env: NodeJS.ProcessEnv = {}): CliIo & { out: string; err: string } {
  const captured = { out: "", err: "" };
  return Object.assign(captured, {
    stdout: (t: string) => void (captured.out += t),
    stderr: (t: string) => void (captured.err += t),
    cwd: dir,
    env,
  });
}

const KEY_A = "a1".repeat(32);
const KEY_B = "b2".repeat(32);
const entryA = {
  value: "program-a",
  tags: ["step:analyze", "signature:s1"],
  createdAt: Date.now() - 50 * HOUR,
};
const entryB = { value: "program-b", tags: ["step:summarize"], createdAt: Date.now() - 2 * HOUR };
const size = (key: string, e: typeof entryA) => Buffer.byteLength(encodeEntry(key, e));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hp-cli-cache-"));
  const disk = new DiskTier({ dir: join(dir, ".hybrid-pipeline/cache") });
  await disk.set(KEY_A, entryA);
  await disk.set(KEY_B, entryB);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("hybrid-pipeline cache (disk)", () => {
  it("prints entries and bytes per tier", async () => {
    const cli = io();
    expect(await main(["cache", "stats"], cli)).toBe(0);
    expect(cli.out).toBe(`disk: 2 entries, ${size(KEY_A, entryA) + size(KEY_B, entryB)} bytes\n`);
  });

  it("lists key, tiers, age, size and tags, newest first", async () => {
    const cli = io();
    expect(await main(["cache", "list"], cli)).toBe(0);
    expect(cli.out).toBe(
      [
        "key               tiers              age      bytes  tags",
        `b2b2b2b2b2b2b2b2  disk                2h  ${String(size(KEY_B, entryB)).padStart(9)}  step:summarize`,
        `a1a1a1a1a1a1a1a1  disk                2d  ${String(size(KEY_A, entryA)).padStart(9)}  step:analyze signature:s1`,
        "",
      ].join("\n"),
    );
  });

  it.each([
    ["a step name", "analyze"],
    ["a tag", "signature:s1"],
    ["a key prefix", "a1a1a1"],
  ])("invalidates by %s", async (_kind, target) => {
    const cli = io();
    expect(await main(["cache", "invalidate", target], cli)).toBe(0);
    expect(cli.out).toBe("invalidated 1 entry (disk 1)\n");
    const listed = io();
    await main(["cache", "list", "--json"], listed);
    expect((JSON.parse(listed.out) as Array<{ key: string }>).map((r) => r.key)).toEqual([KEY_B]);
  });

  it("prunes expired and corrupt entries", async () => {
    const disk = new DiskTier({ dir: join(dir, "other") });
    await disk.set(KEY_A, entryA);
    await disk.set(KEY_B, entryB);
    await disk.set("c3".repeat(32), entryB);
    await truncate(disk.pathFor("c3".repeat(32)), 20);
    const cli = io();
    expect(
      await main(
        ["cache", "prune", "--cache-dir", join(dir, "other"), "--frequency", "daily"],
        cli,
      ),
    ).toBe(0);
    expect(cli.out).toBe(
      "disk: removed 1 expired, 1 corrupt, 0 not regular files, 0 over the size cap, 0 stale temp files\n",
    );
    expect((await disk.list()).map((e) => e.key)).toEqual([KEY_B]);
  });

  it("lists corrupt entries marked and counted, deleting nothing; prune removes them", async () => {
    const disk = new DiskTier({ dir: join(dir, ".hybrid-pipeline/cache") });
    const KEY_C = "c3".repeat(32);
    await disk.set(KEY_C, entryB);
    await truncate(disk.pathFor(KEY_C), 20);
    await truncate(disk.pathFor(KEY_B), 30);
    const before = await readdir(dir, { recursive: true });

    const cli = io();
    expect(await main(["cache", "list"], cli)).toBe(0);
    expect(cli.out).toContain(`a1a1a1a1a1a1a1a1  disk                2d`);
    expect(cli.out.match(/CORRUPT: not a cache entry/g)).toHaveLength(2);
    expect(cli.out).toMatch(/\n2 corrupt entries: `hybrid-pipeline cache prune` removes them\n$/);
    const json = io();
    expect(await main(["cache", "list", "--json"], json)).toBe(0);
    const rows = JSON.parse(json.out) as Array<{ key: string; corrupt?: string }>;
    expect(
      rows
        .filter((r) => r.corrupt !== undefined)
        .map((r) => r.key)
        .sort(),
    ).toEqual([KEY_B, KEY_C]);
    expect(await readdir(dir, { recursive: true })).toEqual(before);

    const pruned = io();
    expect(await main(["cache", "prune"], pruned)).toBe(0);
    expect(pruned.out).toBe(
      "disk: removed 0 expired, 2 corrupt, 0 not regular files, 0 over the size cap, 0 stale temp files\n",
    );
    expect((await disk.list()).map((e) => e.key)).toEqual([KEY_A]);
  });

  it("prunes temp files of interrupted runs older than --max-age, keeping younger ones", async () => {
    const disk = new DiskTier({ dir: join(dir, ".hybrid-pipeline/cache") });
    const stale = `${disk.pathFor(KEY_A)}.4242.aaaaaaaaaaaa.tmp`;
    const young = `${disk.pathFor(KEY_B)}.4243.bbbbbbbbbbbb.tmp`;
    await writeFile(stale, "{");
    await writeFile(young, "{");
    const twoMinutesAgo = new Date(Date.now() - 2 * 60_000);
    await utimes(stale, twoMinutesAgo, twoMinutesAgo);

    const cli = io();
    expect(await main(["cache", "prune", "--max-age", "1m"], cli)).toBe(0);
    expect(cli.out).toBe(
      "disk: removed 2 expired, 0 corrupt, 0 not regular files, 0 over the size cap, 1 stale temp files\n",
    );
    await expect(stat(stale)).rejects.toMatchObject({ code: "ENOENT" });
    expect((await stat(young)).isFile()).toBe(true);
  });

  it.each([
    [["cache"], "missing subcommand"],
    [["cache", "purge"], "unknown subcommand 'purge'"],
    [["cache", "invalidate"], "invalidate needs STEP_OR_HASH"],
    [["cache", "prune", "--max-age", "7 days"], "--max-age: expected a number and a unit"],
    [
      ["cache", "prune", "--frequency", "on_change"],
      "--frequency: expected daily, weekly or monthly",
    ],
  ])("exits 2 on a usage error: %j", async (argv, message) => {
    const cli = io();
    expect(await main(argv, cli)).toBe(2);
    expect(cli.err).toContain(message);
    expect(cli.out).toBe("");
  });
});

const skip = redisSkipReason({ needsOwnServer: true });

describe.skipIf(skip !== undefined)(
  `hybrid-pipeline cache (Redis)${skip ? ` (${skip})` : ""}`,
  () => {
    let server: TestRedis;
    let ns: string;
    beforeAll(async () => {
      server = await startRedisServer();
    });
    afterAll(() => server.stop());

    beforeEach(async () => {
      ns = `cli-${randomBytes(4).toString("hex")}`;
      const remote = await RedisTier.connect({ url: server.url, namespace: ns });
      await remote.set(KEY_A, entryA);
      await remote.close();
    });

    it("reads the Redis URL from HYBRID_PIPELINE_REDIS_URL and covers both tiers", async () => {
      const cli = io({ HYBRID_PIPELINE_REDIS_URL: server.url });
      expect(await main(["cache", "invalidate", "analyze", "--namespace", ns], cli)).toBe(0);
      expect(cli.out).toBe("invalidated 1 entry (disk 1, distributed 1)\n");
      const stats = io();
      expect(
        await main(
          ["cache", "stats", "--json", "--redis-url", server.url, "--namespace", ns],
          stats,
        ),
      ).toBe(0);
      expect(JSON.parse(stats.out)).toEqual({
        disk: { entries: 1, bytes: size(KEY_B, entryB) },
        distributed: { entries: 0, bytes: 0 },
      });
    });

    it("lists a corrupt Redis entry marked, keeps it, and prunes it", async () => {
      const raw = new Redis(server.url);
      await raw.set(`${ns}:v1:entry:${KEY_A}`, "{not an entry");
      const args = ["--redis-url", server.url, "--namespace", ns, "--json"];
      const listed = io();
      expect(await main(["cache", "list", ...args], listed)).toBe(0);
      const rows = JSON.parse(listed.out) as Array<{
        key: string;
        tiers: string[];
        corrupt?: string;
      }>;
      expect(rows.filter((r) => r.key === KEY_A)).toEqual([
        expect.objectContaining({
          tiers: ["distributed"],
          corrupt: "not a cache entry (unreadable JSON or missing header)",
        }),
        expect.objectContaining({ tiers: ["disk"], tags: entryA.tags }),
      ]);
      expect(await raw.get(`${ns}:v1:entry:${KEY_A}`)).toBe("{not an entry");

      const pruned = io();
      expect(await main(["cache", "prune", ...args.slice(0, 4)], pruned)).toBe(0);
      expect(pruned.out).toContain("distributed: removed 0 expired, 1 corrupt\n");
      expect(await raw.get(`${ns}:v1:entry:${KEY_A}`)).toBeNull();
      raw.disconnect();
    });

    it("exits 1 when Redis is unreachable, still serving the disk tier, and never prints the URL", async () => {
      const cli = io();
      expect(
        await main(["cache", "stats", "--redis-url", "redis://:s3cret@127.0.0.1:1"], cli),
      ).toBe(1);
      expect(cli.out).toBe(`disk: 2 entries, ${size(KEY_A, entryA) + size(KEY_B, entryB)} bytes\n`);
      expect(cli.err).toMatch(
        /^hybrid-pipeline cache: distributed tier unavailable: cannot connect to Redis: /,
      );
      expect(cli.err).not.toContain("s3cret");
    });
  },
);
