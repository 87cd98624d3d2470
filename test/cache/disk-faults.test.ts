import { execFileSync } from "node:child_process";
import { cp, lstat, mkdir, readFile, rm, symlink, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiskTier, encodeEntry, type ListedEntry } from "../../src/cache/index.js";
import {
  ANALYZER,
  exampleDir,
  giveToNobody,
  readReport,
  runCli,
  totalCalls,
} from "./cli-process.js";

/** The example's cache after one full run; every case starts from a copy of it. */
let base: string;
let firstRunCalls: number;
/** The compiled program of `detect_license`, the entry each case damages. */
let program: ListedEntry;
/** LM calls of a run whose cache lacks only that entry: what losing one entry costs (0). */
let oneEntryCalls: number;
const dirs: string[] = [];

async function copyOfBase(): Promise<string> {
  const dir = `${base}-${dirs.length}`;
  dirs.push(dir);
  await cp(base, dir, { recursive: true });
  return dir;
}

const entryPath = (dir: string) =>
  new DiskTier({ dir: path.join(dir, "cache") }).pathFor(program.key);

async function run(dir: string, extra: { asNobody?: boolean } = {}) {
  const result = await runCli(
    // A fixed seed: review_risks is in an online A/B (too few examples for a verdict), and a drawn seed
    // would pick its arm at random, so an LM-call cache hit in one run could be a miss in the next.
    ["run", ANALYZER, "--provider", "sim", "--quiet", "--cache-dir", "cache", "--seed", "0"].concat(
      "--report-json",
      "report.json",
    ),
    { cwd: dir, ...extra },
  );
  expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  expect(result.code).toBe(0);
  return readReport(path.join(dir, "report.json"));
}

beforeAll(async () => {
  base = await exampleDir();
  firstRunCalls = totalCalls(await run(base));
  const listed = await new DiskTier({ dir: path.join(base, "cache") }).list();
  program = listed.find((e) => e.tags.includes("step:detect_license"))!;
  const reference = await copyOfBase();
  await unlink(entryPath(reference));
  oneEntryCalls = totalCalls(await run(reference));
}, 120_000);
afterAll(() => Promise.all([base, ...dirs].map((d) => rm(d, { recursive: true, force: true }))));

describe("disk tier faults, through the CLI", () => {
  it("losing one compiled program costs no LM call: its compile calls are cached (the reference)", () => {
    expect(program.tags).toContain("optimization");
    expect(firstRunCalls).toBeGreaterThan(100);
    expect(oneEntryCalls).toBe(0);
  });

  it("a directory in place of one entry costs no LM call; list marks it, prune removes it", async () => {
    const dir = await copyOfBase();
    const squat = entryPath(dir);
    await unlink(squat);
    await mkdir(squat);
    await writeFile(path.join(squat, "keep"), "x");

    const report = await run(dir);
    expect(totalCalls(report)).toBe(oneEntryCalls);
    expect(report.cache.corrupt_entries).toBe(1);
    expect(report.cache.degraded).toEqual([
      { tier: "disk", reason: expect.stringMatching(/^1 operation failed, tier kept in use/) },
    ]);
    expect(report.cache.hits.disk).toBeGreaterThan(0);

    const listed = await runCli(["cache", "list", "--cache-dir", "cache"], { cwd: dir });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${program.key.slice(0, 16)}  disk`);
    expect(listed.stdout).toContain("CORRUPT: refused: a directory");
    expect(listed.stdout).toMatch(
      /\n1 corrupt entry: `hybrid-pipeline cache prune` removes them\n$/,
    );
    expect((await lstat(squat)).isDirectory()).toBe(true);

    const pruned = await runCli(["cache", "prune", "--cache-dir", "cache"], { cwd: dir });
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toBe(
      "disk: removed 0 expired, 0 corrupt, 1 not regular files, 0 over the size cap, 0 stale temp files\n",
    );
    await expect(lstat(squat)).rejects.toMatchObject({ code: "ENOENT" });

    const healed = await run(dir);
    expect(healed.cache.corrupt_entries).toBe(0);
    expect(healed.cache.degraded).toEqual([]);
    expect((await lstat(squat)).isFile()).toBe(true);
  });

  it("refuses an entry linked to /dev/zero without reading it, and rewrites it", async () => {
    const dir = await copyOfBase();
    const link = entryPath(dir);
    await unlink(link);
    await symlink("/dev/zero", link);

    const report = await run(dir);
    expect(totalCalls(report)).toBe(oneEntryCalls);
    expect(report.cache.corrupt_entries).toBe(1);
    expect(report.cache.degraded).toEqual([]);
    expect((await lstat(link)).isFile()).toBe(true);
  });

  it("counts a value of the wrong shape with a valid checksum as corrupt and recomputes it", async () => {
    const dir = await copyOfBase();
    const file = entryPath(dir);
    await writeFile(
      file,
      encodeEntry(program.key, {
        value: { not: "a program" },
        tags: program.tags,
        createdAt: program.createdAt,
      }),
    );

    const report = await run(dir);
    expect(totalCalls(report)).toBe(oneEntryCalls);
    expect(report.cache.corrupt_entries).toBe(1);
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ key: program.key });
  });

  it("a read-only cache still serves its reads when one step changed", async () => {
    const changed = async (dir: string) => {
      const file = path.join(dir, ANALYZER);
      const yaml = await readFile(file, "utf8");
      await writeFile(
        file,
        yaml.replace("Name the license of the file", "Name the licence of the file"),
      );
    };
    const writable = await copyOfBase();
    await changed(writable);
    const expected = totalCalls(await run(writable));
    expect(expected).toBeGreaterThan(0);

    const readOnly = await copyOfBase();
    await changed(readOnly);
    giveToNobody(readOnly);
    execFileSync("chmod", ["-R", "a-w", path.join(readOnly, "cache")]);
    const report = await run(readOnly, { asNobody: true });
    expect(totalCalls(report)).toBe(expected);
    expect(report.cache.hits.disk).toBeGreaterThan(0);
    expect(report.cache.degraded).toEqual([
      {
        tier: "disk",
        reason: expect.stringMatching(
          /operations? failed, tier kept in use \(first: cannot write .*\(EACCES\)\)$/,
        ),
      },
    ]);
    execFileSync("chmod", ["-R", "u+w", path.join(readOnly, "cache")]);
  });
});
