import { describe, expect, it } from "vitest";
import { MemoryTier, type TierEvent } from "../../src/cache/index.js";

const entry = (value: unknown, tags: string[] = []) => ({ value, tags, createdAt: 1 });

describe("memory tier", () => {
  it("evicts the least recently used entry past its entry bound", async () => {
    const events: TierEvent[] = [];
    const tier = new MemoryTier({ maxEntries: 2, onEvent: (e) => events.push(e) });
    await tier.set("a", entry(1));
    await tier.set("b", entry(2));
    await tier.get("a");
    await tier.set("c", entry(3));
    expect(await tier.get("b")).toBeUndefined();
    expect((await tier.get("a"))?.value).toBe(1);
    expect(events).toEqual([{ kind: "eviction", tier: "memory", key: "b" }]);
    expect((await tier.stats()).evictions).toBe(1);
  });

  it("evicts past its byte bound", async () => {
    const tier = new MemoryTier({ maxBytes: 300 });
    await tier.set("a", entry("x".repeat(100)));
    await tier.set("b", entry("y".repeat(100)));
    await tier.set("c", entry("z".repeat(100)));
    const stats = await tier.stats();
    expect(stats.bytes).toBeLessThanOrEqual(300);
    expect(stats.entries).toBe(2);
    expect(await tier.get("a")).toBeUndefined();
  });

  it("removes every entry carrying a tag", async () => {
    const tier = new MemoryTier();
    await tier.set("a", entry(1, ["step:x"]));
    await tier.set("b", entry(2, ["step:y"]));
    await tier.set("c", entry(3, ["step:x", "sig:1"]));
    expect(await tier.invalidateTag("step:x")).toBe(2);
    expect((await tier.list()).map((e) => e.key)).toEqual(["b"]);
  });
});
