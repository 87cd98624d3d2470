import { afterEach, describe, expect, it } from "vitest";
import { AnthropicModel, ProviderError } from "../../src/providers/index.js";
import { startWireServer, type WireReply, type WireServer } from "./wire-server.js";

const KEY = "sk-ant-test-0123456789abcdef";
const request = {
  model: "claude-sonnet-4-6",
  system: "You review code.",
  messages: [{ role: "user" as const, content: "Review x = 1" }],
  maxTokens: 256,
};

function message(
  usage: Record<string, number> = { input_tokens: 100, output_tokens: 50 },
): WireReply {
  return {
    status: 200,
    body: {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [{ type: "text", text: "Looks fine." }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage,
    },
  };
}
const apiError = (
  status: number,
  type: string,
  message: string,
  headers?: Record<string, string>,
): WireReply => ({
  status,
  body: { type: "error", error: { type, message } },
  ...(headers ? { headers } : {}),
});

let server: WireServer | undefined;
afterEach(async () => server?.close());

async function modelFor(
  replies: WireReply[],
  options: { timeoutMs?: number; maxRetries?: number } = {},
) {
  server = await startWireServer(replies);
  return new AnthropicModel({ apiKey: KEY, baseUrl: server.url, ...options });
}

describe("AnthropicModel against a loopback Messages API", () => {
  it("sends a Messages request and parses usage, cache reads and cost", async () => {
    const lm = await modelFor([
      message({
        input_tokens: 100,
        output_tokens: 50,
        cache_read_input_tokens: 1000,
        cache_creation_input_tokens: 0,
      }),
    ]);
    const response = await lm.complete(request);
    expect(server!.requests).toHaveLength(1);
    const seen = server!.requests[0]!;
    expect(seen.path).toBe("/v1/messages");
    // SDK 1.14 sends the API key as a bearer token.
    expect(seen.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen.body).toEqual({
      model: "claude-sonnet-4-6",
      max_tokens: 256,
      system: "You review code.",
      messages: [{ role: "user", content: "Review x = 1" }],
    });
    expect(response.text).toBe("Looks fine.");
    expect(response.model).toBe("claude-sonnet-4-5-20250929");
    expect(response.usage).toEqual({
      inputTokens: 1100,
      outputTokens: 50,
      cachedInputTokens: 1000,
      cacheWriteInputTokens: 0,
    });
    // 100 plain × $3 + 1000 cached × $0.30 + 50 out × $15, per million tokens.
    expect(response.costUsd).toBeCloseTo(0.00135, 10);
  });

  it("waits the 429's retry-after before retrying", async () => {
    const lm = await modelFor([
      apiError(429, "rate_limit_error", "slow down", { "retry-after": "0.2" }),
      message(),
    ]);
    await lm.complete(request);
    expect(server!.requests).toHaveLength(2);
    expect(server!.requests[1]!.at - server!.requests[0]!.at).toBeGreaterThanOrEqual(190);
  });

  it("retries a 529 overloaded_error and succeeds", async () => {
    const lm = await modelFor([
      apiError(529, "overloaded_error", "Overloaded", { "retry-after-ms": "10" }),
      message(),
    ]);
    const response = await lm.complete(request);
    expect(server!.requests).toHaveLength(2);
    expect(response.text).toBe("Looks fine.");
  });

  it("reports overloaded when 529 persists after the retries", async () => {
    const overloaded = apiError(529, "overloaded_error", "Overloaded", { "retry-after-ms": "5" });
    const lm = await modelFor([overloaded, overloaded, overloaded], { maxRetries: 2 });
    const error = await lm.complete(request).catch((e: unknown) => e);
    expect(server!.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: "overloaded", status: 529, provider: "anthropic" });
  });

  it("gives up on a persistent 500 after maxRetries with code server", async () => {
    const failing = apiError(500, "api_error", "Internal server error", { "retry-after-ms": "5" });
    const lm = await modelFor([failing, failing, failing], { maxRetries: 2 });
    const error = await lm.complete(request).catch((e: unknown) => e);
    expect(server!.requests).toHaveLength(3);
    expect(error).toMatchObject({ code: "server", status: 500 });
  });

  it("does not retry a 401 and shows an auth error without the key", async () => {
    const lm = await modelFor([apiError(401, "authentication_error", `invalid x-api-key ${KEY}`)]);
    const error = await lm.complete(request).catch((e: unknown) => e);
    expect(server!.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(ProviderError);
    const e = error as ProviderError;
    expect(e.code).toBe("auth");
    expect(e.message).toBe(
      "anthropic: the API key was rejected (HTTP 401): invalid x-api-key *** Check ANTHROPIC_API_KEY.",
    );
    expect(e.message).not.toContain(KEY);
  });

  it("reports a timeout when the server does not answer in time", async () => {
    const lm = await modelFor([{ ...message(), delayMs: 1000 }], { timeoutMs: 100, maxRetries: 0 });
    const error = await lm.complete(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "timeout" });
  });
});
