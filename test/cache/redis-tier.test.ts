import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CacheTierError, encodeEntry, RedisTier, type TierEvent } from "../../src/cache/index.js";
import { redisSkipReason, startRedisServer, type TestRedis } from "../support/redis-server.js";

const skip = redisSkipReason();
const entry = { value: { demos: ["d1"] }, tags: ["step:analyze", "signature:s1"], createdAt: 5 };

describe.skipIf(skip !== undefined)(`redis tier${skip ? ` (${skip})` : ""}`, () => {
  let server: TestRedis;
  let raw: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    raw = new Redis(server.url);
  });
  afterAll(async () => {
    raw.disconnect();
    await server.stop();
  });

  async function tier(
    events: TierEvent[] = [],
    ttlMs?: number,
  ): Promise<{ tier: RedisTier; ns: string }> {
    const ns = `t-${randomBytes(4).toString("hex")}`;
    return {
      tier: await RedisTier.connect({
        url: server.url,
        namespace: ns,
        ttlMs,
        onEvent: (e) => events.push(e),
      }),
      ns,
    };
  }

  it("stores a checksummed entry under a namespaced key with a TTL and a tag index", async () => {
    const { tier: t, ns } = await tier([], 60_000);
    await t.set("k1", entry);
    expect(await raw.get(`${ns}:v1:entry:k1`)).toBe(encodeEntry("k1", entry));
    const ttl = await raw.pttl(`${ns}:v1:entry:k1`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await raw.smembers(`${ns}:v1:tag:step:analyze`)).toEqual(["k1"]);
    expect(await raw.pttl(`${ns}:v1:tag:step:analyze`)).toBeGreaterThan(50_000);
    expect(await t.get("k1")).toEqual(entry);
    await t.close();
  });

  it("invalidates a tag through its index, never sending KEYS or SCAN", async () => {
    const { tier: t, ns } = await tier();
    await t.set("k1", entry);
    await t.set("k2", { ...entry, tags: ["step:analyze"] });
    await t.set("k3", { ...entry, tags: ["step:summarize"] });
    const monitor = await new Redis(server.url).monitor();
    const commands: string[] = [];
    monitor.on("monitor", (_time: string, args: string[]) => commands.push(args[0]!.toLowerCase()));
    expect(await t.invalidateTag("step:analyze")).toBe(2);
    expect((await t.list()).map((e) => e.key)).toEqual(["k3"]);
    await raw.echo("end-of-test");
    await vi.waitFor(() => expect(commands).toContain("echo"));
    monitor.disconnect();
    expect(commands).not.toContain("keys");
    expect(commands).not.toContain("scan");
    expect(commands).toContain("smembers");
    expect(
      await raw.exists(`${ns}:v1:entry:k1`, `${ns}:v1:entry:k2`, `${ns}:v1:tag:step:analyze`),
    ).toBe(0);
    await t.close();
  });

  it("discards and reports a corrupt value", async () => {
    const events: TierEvent[] = [];
    const { tier: t, ns } = await tier(events);
    await t.set("k1", entry);
    await raw.set(`${ns}:v1:entry:k1`, encodeEntry("k1", entry).replace("d1", "d2"));
    expect(await t.get("k1")).toBeUndefined();
    expect(events).toEqual([
      { kind: "corrupt", tier: "distributed", key: "k1", reason: "checksum mismatch" },
    ]);
    expect(await raw.exists(`${ns}:v1:entry:k1`)).toBe(0);
    await t.close();
  });

  it("drops index members whose entry expired from stats and list", async () => {
    const { tier: t, ns } = await tier();
    await t.set("k1", entry);
    await t.set("k2", entry);
    await raw.del(`${ns}:v1:entry:k1`);
    const stats = await t.stats();
    expect(stats.entries).toBe(1);
    expect(stats.bytes).toBe(Buffer.byteLength(encodeEntry("k2", entry)));
    expect(await raw.smembers(`${ns}:v1:keys`)).toEqual(["k2"]);
    await t.close();
  });

  it("holds a lock for one token only, released by compare-and-delete", async () => {
    const { tier: t } = await tier();
    expect(await t.tryLock("k1", "a", 10_000)).toBe(true);
    expect(await t.tryLock("k1", "b", 10_000)).toBe(false);
    await t.unlock("k1", "b");
    expect(await t.tryLock("k1", "b", 10_000)).toBe(false);
    await t.unlock("k1", "a");
    expect(await t.tryLock("k1", "b", 10_000)).toBe(true);
    await t.close();
  });

  it("fails fast with CacheTierError when nothing listens", async () => {
    const started = Date.now();
    const error = await RedisTier.connect({
      url: "redis://127.0.0.1:1",
      connectTimeoutMs: 500,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheTierError);
    expect(error).toMatchObject({ tier: "distributed", code: "unavailable" });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
