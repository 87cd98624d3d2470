import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTieredCache, DiskTier, maxAgeFor, type TieredCache } from "../../src/cache/index.js";

let dir: string;
const open: TieredCache[] = [];

async function cache(options: Parameters<typeof createTieredCache>[0] = {}): Promise<TieredCache> {
  const created = await createTieredCache({ cacheDir: dir, ...options });
  open.push(created);
  return created;
}

function counter<T>(value: T): { compute: () => Promise<T>; calls: () => number } {
  let calls = 0;
  return { compute: async () => ((calls += 1), value), calls: () => calls };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hp-tiered-"));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  await rm(dir, { recursive: true, force: true });
});

describe("tiered cache (memory + disk)", () => {
  it("reads a disk hit once, then serves it from memory", async () => {
    await new DiskTier({ dir }).set("k1", { value: "v", tags: ["step:a"], createdAt: 1 });
    const c = await cache();
    expect(await c.get("k1")).toEqual({
      entry: { value: "v", tags: ["step:a"], createdAt: 1 },
      tier: "disk",
    });
    expect((await c.get("k1"))?.tier).toBe("memory");
    expect(await c.get("k2")).toBeUndefined();
    expect(c.report()).toEqual({
      hits: { memory: 1, disk: 1, distributed: 0 },
      misses: 1,
      promotions: 1,
      evictions: 0,
      corrupt_entries: 0,
      degraded: [],
    });
  });

  it("writes through to disk so a new process hits", async () => {
    const first = await cache({ clock: () => 42 });
    await first.set("k1", { program: "p" }, ["step:a"]);
    expect(await new DiskTier({ dir }).get("k1")).toEqual({
      value: { program: "p" },
      tags: ["step:a"],
      createdAt: 42,
    });
    const second = await cache();
    const { compute, calls } = counter("recomputed");
    expect(await second.getOrCompute("k1", ["step:a"], compute)).toEqual({
      value: { program: "p" },
      tier: "disk",
    });
    expect(calls()).toBe(0);
  });

  it("invalidates a tag in every tier", async () => {
    const c = await cache();
    await c.set("k1", 1, ["step:a"]);
    await c.set("k2", 2, ["step:b"]);
    expect(await c.invalidateTag("step:a")).toBe(1);
    expect(await c.get("k1")).toBeUndefined();
    expect(await new DiskTier({ dir }).get("k1")).toBeUndefined();
    expect((await c.get("k2"))?.tier).toBe("memory");
  });

  it.each([
    ["a flipped byte", (text: string) => text.replace("compiled", "compilet")],
    ["a truncated file", (text: string) => text.slice(0, text.length / 2)],
    ["a wrong version", (text: string) => text.replace('"version":1', '"version":0')],
  ])("rejects a disk entry with %s and recomputes it", async (_name, damage) => {
    await (await cache()).set("k1", "compiled", ["step:a"]);
    const path = new DiskTier({ dir }).pathFor("k1");
    await writeFile(path, damage(await readFile(path, "utf8")));
    const warnings: string[] = [];
    const c = await cache({ onWarning: (w) => warnings.push(w) });
    const { compute, calls } = counter("compiled");
    expect(await c.getOrCompute("k1", ["step:a"], compute)).toEqual({
      value: "compiled",
      tier: "computed",
    });
    expect(calls()).toBe(1);
    expect(c.report()).toMatchObject({ misses: 1, corrupt_entries: 1 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^cache: discarded a corrupt disk entry \(.*\); it will be recomputed$/,
    );
    expect(await new DiskTier({ dir }).get("k1")).toMatchObject({ value: "compiled" });
  });

  it("recomputes an entry once it is older than the optimization frequency allows", async () => {
    let now = Date.UTC(2026, 0, 1);
    const c = await cache({ clock: () => now });
    let n = 0;
    const compute = async () => `v${(n += 1)}`;
    const daily = { maxAgeMs: maxAgeFor("daily") };
    expect(await c.getOrCompute("k", [], compute, daily)).toEqual({
      value: "v1",
      tier: "computed",
    });
    now += 23 * 3600_000;
    expect(await c.getOrCompute("k", [], compute, daily)).toEqual({ value: "v1", tier: "memory" });
    now += 2 * 3600_000;
    expect(await c.getOrCompute("k", [], compute, daily)).toEqual({
      value: "v2",
      tier: "computed",
    });
    now += 365 * 24 * 3600_000;
    expect(await c.getOrCompute("k", [], compute, { maxAgeMs: maxAgeFor("on_change") })).toEqual({
      value: "v2",
      tier: "memory",
    });
  });

  it("computes once for concurrent requests of one key", async () => {
    const c = await cache();
    const { compute, calls } = counter("v");
    const results = await Promise.all(
      Array.from({ length: 10 }, () => c.getOrCompute("k", [], compute)),
    );
    expect(calls()).toBe(1);
    expect(results.every((r) => r.value === "v")).toBe(true);
  });

  it("treats a cached value the validator rejects as a corrupt miss", async () => {
    const c = await cache();
    await c.set("k", { wrong: true }, []);
    const validate = (v: unknown) => (typeof v === "string" ? v : undefined);
    expect(await c.getOrCompute("k", [], async () => "ok", { validate })).toEqual({
      value: "ok",
      tier: "computed",
    });
    // Counted once per copy: memory and disk both held it, and both copies are dropped.
    expect(c.report()).toMatchObject({ misses: 1, corrupt_entries: 2 });
    expect(await c.getOrCompute("k", [], async () => "again", { validate })).toEqual({
      value: "ok",
      tier: "memory",
    });
  });

  it("stores nothing when cache_enabled is false", async () => {
    const c = await cache({ enabled: false });
    const { compute, calls } = counter("v");
    await c.getOrCompute("k", [], compute);
    await c.set("k", "v", []);
    await c.getOrCompute("k", [], compute);
    expect(calls()).toBe(2);
    expect(await new DiskTier({ dir }).stats()).toMatchObject({ entries: 0 });
    expect(c.report()).toEqual({
      hits: { memory: 0, disk: 0, distributed: 0 },
      misses: 0,
      promotions: 0,
      evictions: 0,
      corrupt_entries: 0,
      degraded: [],
    });
  });

  it("refuses a value with no JSON form", async () => {
    const c = await cache();
    await expect(c.set("k", undefined, [])).rejects.toThrow(TypeError);
  });
});
