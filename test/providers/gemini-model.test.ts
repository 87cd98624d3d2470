import { afterEach, describe, expect, it } from "vitest";
import { GeminiModel, ProviderError } from "../../src/providers/index.js";
import { startWireServer, type WireReply, type WireServer } from "./wire-server.js";

const KEY = "AIzaTestKey0123456789abcdefghijklmnopqrs";
const request = {
  model: "gemini-2.5-flash",
  system: "Summarise.",
  messages: [
    { role: "user" as const, content: "A long text" },
    { role: "assistant" as const, content: "ok" },
    { role: "user" as const, content: "again" },
  ],
  maxTokens: 128,
};

const generated: WireReply = {
  status: 200,
  body: {
    candidates: [
      {
        content: { role: "model", parts: [{ text: "A summary." }] },
        finishReason: "STOP",
        index: 0,
      },
    ],
    usageMetadata: {
      promptTokenCount: 1200,
      candidatesTokenCount: 40,
      cachedContentTokenCount: 1000,
      thoughtsTokenCount: 10,
      totalTokenCount: 1250,
    },
    modelVersion: "gemini-2.5-flash",
  },
};
const googleError = (
  code: number,
  status: string,
  message: string,
  extra: { details?: unknown[]; headers?: Record<string, string> } = {},
): WireReply => ({
  status: code,
  body: { error: { code, message, status, ...(extra.details ? { details: extra.details } : {}) } },
  ...(extra.headers ? { headers: extra.headers } : {}),
});

let server: WireServer | undefined;
afterEach(async () => server?.close());

async function modelFor(
  replies: WireReply[],
  options: { timeoutMs?: number; maxRetries?: number } = {},
) {
  server = await startWireServer(replies);
  return new GeminiModel({ apiKey: KEY, baseUrl: server.url, ...options });
}

describe("GeminiModel against a loopback generateContent API", () => {
  it("sends generateContent and parses usageMetadata and cost", async () => {
    const lm = await modelFor([generated]);
    const response = await lm.complete(request);
    expect(server!.requests).toHaveLength(1);
    const seen = server!.requests[0]!;
    expect(seen.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(seen.headers["x-goog-api-key"]).toBe(KEY);
    expect(seen.body).toMatchObject({
      contents: [
        { role: "user", parts: [{ text: "A long text" }] },
        { role: "model", parts: [{ text: "ok" }] },
        { role: "user", parts: [{ text: "again" }] },
      ],
      systemInstruction: { parts: [{ text: "Summarise." }] },
      generationConfig: { maxOutputTokens: 128, temperature: 0 },
    });
    expect(response.text).toBe("A summary.");
    expect(response.usage).toEqual({
      inputTokens: 1200,
      outputTokens: 50,
      cachedInputTokens: 1000,
    });
    // 200 plain × $0.30 + 1000 cached × $0.03 + 50 out (thoughts included) × $2.50, per million tokens.
    expect(response.costUsd).toBeCloseTo(0.000215, 10);
  });

  it("waits the 429's retry-after header before retrying", async () => {
    const lm = await modelFor([
      googleError(429, "RESOURCE_EXHAUSTED", "Quota exceeded", {
        headers: { "retry-after": "0.2" },
      }),
      generated,
    ]);
    await lm.complete(request);
    expect(server!.requests).toHaveLength(2);
    expect(server!.requests[1]!.at - server!.requests[0]!.at).toBeGreaterThanOrEqual(190);
  });

  it("waits the RetryInfo retryDelay of a 429 body", async () => {
    const retryInfo = { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "0.2s" };
    const lm = await modelFor([
      googleError(429, "RESOURCE_EXHAUSTED", "Quota exceeded", { details: [retryInfo] }),
      generated,
    ]);
    await lm.complete(request);
    expect(server!.requests).toHaveLength(2);
    expect(server!.requests[1]!.at - server!.requests[0]!.at).toBeGreaterThanOrEqual(190);
  });

  it("does not wait for a retry-after longer than a minute and reports the 503 at once", async () => {
    const lm = await modelFor([
      googleError(503, "UNAVAILABLE", "The model is overloaded.", {
        headers: { "retry-after": "3600" },
      }),
    ]);
    const started = performance.now();
    const error = await lm.complete(request).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(server!.requests).toHaveLength(1);
    expect(error).toMatchObject({
      code: "server",
      status: 503,
      message:
        "gemini: server or connection error after retries (HTTP 503): The model is overloaded.",
    });
  });

  it("gives up on a persistent 500 after maxRetries with code server", async () => {
    const failing = googleError(500, "INTERNAL", "Internal error", {
      headers: { "retry-after-ms": "5" },
    });
    const lm = await modelFor([failing, failing, failing], { maxRetries: 2 });
    const error = await lm.complete(request).catch((e: unknown) => e);
    expect(server!.requests).toHaveLength(3);
    expect(error).toMatchObject({ code: "server", status: 500, provider: "gemini" });
  });

  it("does not retry an invalid key (400 API_KEY_INVALID) and shows an auth error without the key", async () => {
    const invalid = googleError(400, "INVALID_ARGUMENT", `API key not valid. key=${KEY}`, {
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "API_KEY_INVALID",
          domain: "googleapis.com",
        },
      ],
    });
    const lm = await modelFor([invalid]);
    const error = await lm.complete(request).catch((e: unknown) => e);
    expect(server!.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe("auth");
    expect((error as ProviderError).message).toBe(
      "gemini: the API key was rejected (HTTP 400): API key not valid. key=*** Check GEMINI_API_KEY or GOOGLE_API_KEY.",
    );
  });

  it("does not retry a 401", async () => {
    const lm = await modelFor([
      googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."),
    ]);
    const error = await lm.complete(request).catch((e: unknown) => e);
    expect(server!.requests).toHaveLength(1);
    expect(error).toMatchObject({ code: "auth", status: 401 });
  });

  it("reports a timeout when no attempt is answered in time", async () => {
    const slow = { ...generated, delayMs: 1000 };
    const lm = await modelFor([slow, slow], { timeoutMs: 100, maxRetries: 1 });
    const error = await lm.complete(request).catch((e: unknown) => e);
    expect(server!.requests).toHaveLength(2);
    expect(error).toMatchObject({ code: "timeout", provider: "gemini" });
  });
});
