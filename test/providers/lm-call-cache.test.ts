import { describe, expect, it } from "vitest";
import {
  createLmCallCounter,
  createMemoryLmCallStore,
  lmRequestKey,
  SimModel,
  withCallAccounting,
  withLmCallCache,
  type LanguageModel,
  type LmCacheEvent,
  type LmRequest,
} from "../../src/providers/index.js";

const base: LmRequest = {
  model: "sim-1",
  system: "s",
  messages: [{ role: "user", content: "hello there" }],
  maxTokens: 32,
};

/** A model that counts calls and answers after a short wait, so concurrent calls overlap. */
function slowCounting(): LanguageModel & { calls: number } {
  const sim = new SimModel();
  const lm = {
    provider: "sim" as const,
    simulated: true,
    calls: 0,
    async complete(request: LmRequest) {
      lm.calls++;
      await new Promise((r) => setTimeout(r, 20));
      return sim.complete(request);
    },
  };
  return lm;
}

describe("lmRequestKey", () => {
  it("is a sha256 hex that ignores purpose, step and key order, and changes with content and provider", () => {
    const key = lmRequestKey(base, "sim");
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const reordered: LmRequest = {
      maxTokens: 32,
      messages: [{ content: "hello there", role: "user" }],
      system: "s",
      model: "sim-1",
    };
    expect(lmRequestKey(reordered, "sim")).toBe(key);
    expect(lmRequestKey({ ...base, purpose: "optimize", step: "analyze" }, "sim")).toBe(key);
    expect(lmRequestKey({ ...base, temperature: 0 }, "sim")).toBe(key);
    expect(
      lmRequestKey({ ...base, messages: [{ role: "user", content: "hello there!" }] }, "sim"),
    ).not.toBe(key);
    expect(lmRequestKey(base, "anthropic")).not.toBe(key);
  });
});

describe("withLmCallCache", () => {
  it("sends an identical temperature-0 request once and serves repeats from the cache for free", async () => {
    const inner = slowCounting();
    const events: LmCacheEvent["kind"][] = [];
    const lm = withLmCallCache(inner, createMemoryLmCallStore(), (e) => events.push(e.kind));
    const first = await lm.complete(base);
    const second = await lm.complete({ ...base, purpose: "evaluate" });
    expect(inner.calls).toBe(1);
    expect(first.fromCache).toBeUndefined();
    expect(second).toEqual({
      ...first,
      fromCache: true,
      latencyMs: 0,
      costUsd: 0,
      uncached: { latencyMs: first.latencyMs, costUsd: first.costUsd },
    });
    expect(events).toEqual(["miss", "hit"]);
  });

  it("makes one call for identical requests in flight together", async () => {
    const inner = slowCounting();
    const lm = withLmCallCache(inner, createMemoryLmCallStore());
    const responses = await Promise.all(Array.from({ length: 5 }, () => lm.complete(base)));
    expect(inner.calls).toBe(1);
    expect(responses.filter((r) => r.fromCache)).toHaveLength(4);
  });

  it("never caches a request above temperature 0", async () => {
    const inner = slowCounting();
    const lm = withLmCallCache(inner, createMemoryLmCallStore());
    await lm.complete({ ...base, temperature: 0.7 });
    await lm.complete({ ...base, temperature: 0.7 });
    expect(inner.calls).toBe(2);
  });

  it("ignores a stored value that is not a response", async () => {
    const inner = slowCounting();
    const store = createMemoryLmCallStore();
    await store.set(lmRequestKey(base, "sim"), { text: 42 });
    const response = await withLmCallCache(inner, store).complete(base);
    expect(inner.calls).toBe(1);
    expect(response.fromCache).toBeUndefined();
  });

  it("lets accounting inside the cache count only calls actually sent, per purpose", async () => {
    const counter = createLmCallCounter();
    const lm = withLmCallCache(
      withCallAccounting(new SimModel(), counter),
      createMemoryLmCallStore(),
    );
    await lm.complete(base);
    await lm.complete({ ...base, purpose: "evaluate" });
    await lm.complete({
      ...base,
      messages: [{ role: "user", content: "other" }],
      purpose: "optimize",
    });
    await lm.complete({
      ...base,
      messages: [{ role: "user", content: "judge this" }],
      purpose: "judge",
    });
    expect(counter).toEqual({ step: 1, optimize: 1, evaluate: 0, judge: 1 });
  });
});
