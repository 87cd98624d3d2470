import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createTieredCache,
  DiskTier,
  RedisTier,
  type TieredCache,
  type TieredCacheOptions,
} from "../../src/cache/index.js";
import { redisSkipReason, startRedisServer, type TestRedis } from "../support/redis-server.js";

const skip = redisSkipReason({ needsOwnServer: true });

describe.skipIf(skip !== undefined)(`tiered cache with Redis${skip ? ` (${skip})` : ""}`, () => {
  let server: TestRedis;
  let dirs: string[];
  let ns: string;
  const open: TieredCache[] = [];

  async function cache(
    options: TieredCacheOptions = {},
  ): Promise<{ cache: TieredCache; dir: string }> {
    const dir = await mkdtemp(join(tmpdir(), "hp-tiered-redis-"));
    dirs.push(dir);
    const created = await createTieredCache({
      cacheDir: dir,
      redisUrl: server.url,
      redis: { namespace: ns, commandTimeoutMs: 500, connectTimeoutMs: 500 },
      ...options,
    });
    open.push(created);
    return { cache: created, dir };
  }

  beforeEach(async () => {
    server = await startRedisServer();
    dirs = [];
    ns = `t-${randomBytes(4).toString("hex")}`;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    await server.stop();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it("promotes a Redis hit into disk and memory", async () => {
    const remote = await RedisTier.connect({ url: server.url, namespace: ns });
    await remote.set("k1", { value: "shared", tags: ["step:a"], createdAt: 7 });
    await remote.close();
    const { cache: c, dir } = await cache();
    expect((await c.get("k1"))?.tier).toBe("distributed");
    expect(await new DiskTier({ dir }).get("k1")).toEqual({
      value: "shared",
      tags: ["step:a"],
      createdAt: 7,
    });
    expect((await c.get("k1"))?.tier).toBe("memory");
    expect(c.report()).toMatchObject({
      hits: { memory: 1, disk: 0, distributed: 1 },
      misses: 0,
      promotions: 2,
    });
  });

  it("writes through to Redis and invalidates a tag there too", async () => {
    const { cache: c } = await cache();
    await c.set("k1", "v", ["step:a"]);
    const raw = new Redis(server.url);
    expect(await raw.exists(`${ns}:v1:entry:k1`)).toBe(1);
    expect(await c.invalidateTag("step:a")).toBe(1);
    expect(await raw.exists(`${ns}:v1:entry:k1`)).toBe(0);
    raw.disconnect();
  });

  it("finishes the run when Redis is killed mid-run and reports the tier degraded", async () => {
    const { cache: c } = await cache();
    expect((await c.getOrCompute("k1", [], async () => "one")).tier).toBe("computed");
    await server.kill();
    const started = Date.now();
    expect(await c.getOrCompute("k2", [], async () => "two")).toEqual({
      value: "two",
      tier: "computed",
    });
    expect(await c.getOrCompute("k1", [], async () => "again")).toEqual({
      value: "one",
      tier: "memory",
    });
    await c.set("k3", "three", []);
    expect(Date.now() - started).toBeLessThan(3000);
    const report = c.report();
    expect(report.degraded).toHaveLength(1);
    expect(report.degraded[0]).toMatchObject({ tier: "distributed" });
    expect(report.degraded[0]!.reason).toMatch(/^Redis \S+( NX)? failed: /);
    expect(report.misses).toBe(2);
  });

  it("starts degraded when Redis is unreachable, without failing", async () => {
    await server.kill();
    const { cache: c } = await cache();
    expect(await c.getOrCompute("k", [], async () => "v")).toEqual({
      value: "v",
      tier: "computed",
    });
    expect(c.report().degraded).toEqual([
      { tier: "distributed", reason: expect.stringMatching(/^cannot connect to Redis: /) },
    ]);
  });

  it("computes once across two caches sharing Redis (the lock), the other reads the result", async () => {
    const [{ cache: a }, { cache: b }] = await Promise.all([cache(), cache()]);
    let calls = 0;
    const slow = async () => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 300));
      return "compiled";
    };
    const results = await Promise.all([
      a.getOrCompute("k", [], slow),
      b.getOrCompute("k", [], slow),
    ]);
    expect(calls).toBe(1);
    expect(results.map((r) => r.tier).sort()).toEqual(["computed", "distributed"]);
    expect(results.map((r) => r.value)).toEqual(["compiled", "compiled"]);
  });

  it("computes after a bounded wait when a dead holder's lock is never released", async () => {
    const raw = new Redis(server.url);
    await raw.set(`${ns}:v1:lock:k`, "dead-holder", "PX", 60_000);
    raw.disconnect();
    const { cache: c } = await cache({ lock: { waitMs: 300, pollMs: 50 } });
    const started = Date.now();
    expect(await c.getOrCompute("k", [], async () => "v")).toEqual({
      value: "v",
      tier: "computed",
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(c.report().degraded).toEqual([]);
  });
});
