import { afterEach, describe, expect, it } from "vitest";
import { OpenAiModel, ProviderError } from "../../src/providers/index.js";
import { startWireServer, type WireReply, type WireServer } from "./wire-server.js";

const KEY = "sk-proj-testkey0123456789abcdefghij";
const request = {
  model: "gpt-4o-mini",
  system: "Be brief.",
  messages: [{ role: "user" as const, content: "Hi" }],
  maxTokens: 64,
};

const completion = (model = "gpt-4o-mini-2024-07-18"): WireReply => ({
  status: 200,
  body: {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model,
    choices: [
      { index: 0, message: { role: "assistant", content: "Hello." }, finish_reason: "stop" },
    ],
    usage: {
      prompt_tokens: 2000,
      completion_tokens: 100,
      total_tokens: 2100,
      prompt_tokens_details: { cached_tokens: 1024 },
    },
  },
});
const openAiError = (
  status: number,
  type: string,
  code: string | null,
  message: string,
  headers?: Record<string, string>,
): WireReply => ({
  status,
  body: { error: { message, type, param: null, code } },
  ...(headers ? { headers } : {}),
});

let server: WireServer | undefined;
afterEach(async () => server?.close());

async function modelFor(
  replies: WireReply[],
  options: { timeoutMs?: number; maxRetries?: number } = {},
) {
  server = await startWireServer(replies);
  return new OpenAiModel({ apiKey: KEY, baseUrl: `${server.url}/v1`, ...options });
}

describe("OpenAiModel against a loopback Chat Completions API", () => {
  it("sends a chat completion and parses usage, cached tokens and cost", async () => {
    const lm = await modelFor([completion()]);
    const response = await lm.complete(request);
    const seen = server!.requests[0]!;
    expect(seen.path).toBe("/v1/chat/completions");
    expect(seen.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen.body).toEqual({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
      max_tokens: 64,
      temperature: 0,
    });
    expect(response.text).toBe("Hello.");
    expect(response.usage).toEqual({
      inputTokens: 2000,
      outputTokens: 100,
      cachedInputTokens: 1024,
    });
    // 976 plain × $0.15 + 1024 cached × $0.075 + 100 out × $0.60, per million tokens (dated snapshot id).
    expect(response.costUsd).toBeCloseTo(0.0002832, 10);
  });

  it("sends max_completion_tokens and no temperature to reasoning models", async () => {
    const lm = await modelFor([completion("gpt-5-mini")]);
    await lm.complete({ ...request, model: "gpt-5-mini" });
    expect(server!.requests[0]!.body).toEqual({
      model: "gpt-5-mini",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
      max_completion_tokens: 64,
    });
  });

  it("waits the 429's retry-after before retrying", async () => {
    const lm = await modelFor([
      openAiError(429, "requests", "rate_limit_exceeded", "Rate limit reached", {
        "retry-after": "0.2",
      }),
      completion(),
    ]);
    await lm.complete(request);
    expect(server!.requests).toHaveLength(2);
    expect(server!.requests[1]!.at - server!.requests[0]!.at).toBeGreaterThanOrEqual(190);
  });

  it("does not retry a 429 insufficient_quota", async () => {
    const lm = await modelFor([
      openAiError(
        429,
        "insufficient_quota",
        "insufficient_quota",
        "You exceeded your current quota",
        { "retry-after-ms": "5" },
      ),
    ]);
    const error = await lm.complete(request).catch((e: unknown) => e);
    expect(server!.requests).toHaveLength(1);
    expect(error).toMatchObject({ code: "quota_exhausted", status: 429 });
  });

  it("gives up on a persistent 500 after maxRetries with code server", async () => {
    const failing = openAiError(500, "server_error", null, "The server had an error", {
      "retry-after-ms": "5",
    });
    const lm = await modelFor([failing, failing, failing], { maxRetries: 2 });
    const error = await lm.complete(request).catch((e: unknown) => e);
    expect(server!.requests).toHaveLength(3);
    expect(error).toMatchObject({ code: "server", status: 500, provider: "openai" });
  });

  it("does not retry a 401 and shows an auth error without the key", async () => {
    const lm = await modelFor([
      openAiError(
        401,
        "invalid_request_error",
        "invalid_api_key",
        `Incorrect API key provided: ${KEY}.`,
      ),
    ]);
    const error = await lm.complete(request).catch((e: unknown) => e);
    expect(server!.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(ProviderError);
    const e = error as ProviderError;
    expect(e.code).toBe("auth");
    expect(e.message).not.toContain(KEY);
    expect(e.message).toContain("Check OPENAI_API_KEY.");
  });

  it("reports a timeout when the server does not answer in time", async () => {
    const lm = await modelFor([{ ...completion(), delayMs: 1000 }], {
      timeoutMs: 100,
      maxRetries: 0,
    });
    const error = await lm.complete(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "timeout" });
  });
});
