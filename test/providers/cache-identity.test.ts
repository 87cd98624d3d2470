import { afterEach, describe, expect, it } from "vitest";
import {
  AnthropicModel,
  createMemoryLmCallStore,
  OpenAiModel,
  SimModel,
  withBudget,
  createBudget,
  withLmCallCache,
  type LmCacheEvent,
  type LmRequest,
} from "../../src/providers/index.js";
import { chatCompletion } from "./run-against.js";
import { startWireServer, type WireReply, type WireServer } from "./wire-server.js";

const KEY = "sk-proj-testkey0123456789abcdefghij";
const request: LmRequest = {
  model: "llama3.1",
  messages: [{ role: "user", content: "Name a colour." }],
  maxTokens: 16,
};

const servers: WireServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(replies: WireReply[]) {
  const server = await startWireServer(replies);
  servers.push(server);
  return server;
}

describe("the LM-call cache key names where the call went", () => {
  it("two OpenAI-compatible servers serving the same model id never share entries", async () => {
    const ollama = await serve([chatCompletion("red", "llama3.1")]);
    const vllm = await serve([chatCompletion("blue", "llama3.1")]);
    const store = createMemoryLmCallStore();
    const viaOllama = withLmCallCache(
      new OpenAiModel({ apiKey: KEY, baseUrl: `${ollama.url}/v1` }),
      store,
    );
    // Wrapped as a run wraps it: the budget passes the endpoint on.
    const viaVllm = withLmCallCache(
      withBudget(new OpenAiModel({ apiKey: KEY, baseUrl: `${vllm.url}/v1` }), createBudget(1)),
      store,
    );
    expect((await viaOllama.complete(request)).text).toBe("red");
    expect((await viaVllm.complete(request)).text).toBe("blue");
    // Each served again from its own entry.
    expect(await viaOllama.complete(request)).toMatchObject({ text: "red", fromCache: true });
    expect(await viaVllm.complete(request)).toMatchObject({ text: "blue", fromCache: true });
    expect([ollama.requests.length, vllm.requests.length]).toEqual([1, 1]);
  });
});

describe("rolloutId: a distinct rollout reaches the provider", () => {
  const message = (text: string): WireReply => ({
    status: 200,
    body: {
      id: "msg",
      type: "message",
      role: "assistant",
      model: "claude-haiku-4-5",
      content: [{ type: "text", text }],
      stop_reason: "end_turn",
      usage: { input_tokens: 5, output_tokens: 1 },
    },
  });

  it("bypasses the cache on Anthropic, so each rollout is a fresh sample from the API", async () => {
    const server = await serve([message("a"), message("b"), message("c")]);
    const events: LmCacheEvent["kind"][] = [];
    const lm = withLmCallCache(
      new AnthropicModel({ apiKey: KEY, baseUrl: server.url }),
      createMemoryLmCallStore(),
      (e) => events.push(e.kind),
    );
    const haiku = { ...request, model: "claude-haiku-4-5" };
    await lm.complete(haiku);
    await lm.complete(haiku);
    const rollouts = await Promise.all(
      ["1", "2"].map((rolloutId) => lm.complete({ ...haiku, rolloutId })),
    );
    expect(server.requests).toHaveLength(3);
    expect(rollouts.map((r) => r.fromCache ?? false)).toEqual([false, false]);
    expect(events).toEqual(["miss", "hit"]);
    // Never sent: the Messages API takes no temperature (SDK 1.14) and the rollout id is ours.
    expect(server.requests.map((r) => Object.keys(r.body as object).sort())).toEqual(
      Array(3).fill(["max_tokens", "messages", "model"]),
    );
  });

  it("sim answers each rollout deterministically and differently", async () => {
    const sim = new SimModel();
    const prose: LmRequest = {
      model: "sim-1",
      messages: [
        { role: "user", content: "Describe the deployment pipeline and its failure modes." },
      ],
      maxTokens: 200,
    };
    const texts = await Promise.all(
      ["1", "2", "3", "4", "5", "6"].map(
        async (rolloutId) => (await sim.complete({ ...prose, rolloutId })).text,
      ),
    );
    const again = (await sim.complete({ ...prose, rolloutId: "1" })).text;
    expect(again).toBe(texts[0]);
    expect(new Set(texts).size).toBeGreaterThan(1);
    expect((await sim.complete(prose)).text).toBe((await sim.complete({ ...prose })).text);
  });
});
