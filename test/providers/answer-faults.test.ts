import { afterEach, describe, expect, it } from "vitest";
import {
  AnthropicModel,
  createMemoryLmCallStore,
  GeminiModel,
  OpenAiModel,
  ProviderError,
  withFaultTally,
  withLmCallCache,
  type FaultTally,
} from "../../src/providers/index.js";
import { chatCompletion, runPipeline } from "./run-against.js";
import { startWireServer, type WireReply, type WireServer } from "./wire-server.js";

const KEY = "sk-proj-testkey0123456789abcdefghij";
const request = {
  model: "gpt-4o-mini",
  messages: [{ role: "user" as const, content: "Hi" }],
  maxTokens: 64,
};
const malformed: WireReply = { status: 200, body: null, raw: '{"id":"chatcmpl-1","choi' };
const emptyBody: WireReply = { status: 200, body: null, raw: "" };
const serverError: WireReply = {
  status: 500,
  body: { error: { message: "boom", type: "server_error", code: null } },
  headers: { "retry-after-ms": "1" },
};

let server: WireServer | undefined;
afterEach(async () => server?.close());

async function openAi(replies: WireReply[]) {
  server = await startWireServer(replies);
  return new OpenAiModel({ apiKey: KEY, baseUrl: `${server.url}/v1` });
}

describe("a 200 that holds no answer is a retried fault", () => {
  it("retries an empty completion and reports it as a fault it got past", async () => {
    const lm = await openAi([chatCompletion(""), chatCompletion("Hello.")]);
    const response = await lm.complete(request);
    expect(server!.requests).toHaveLength(2);
    expect(response.text).toBe("Hello.");
    expect(response.faults).toEqual(["empty_response"]);
  });

  it("retries malformed JSON, keeping every failed attempt in order, the one before included", async () => {
    const tally: FaultTally = {};
    const lm = withFaultTally(
      await openAi([serverError, malformed, emptyBody, chatCompletion("Hello.")]),
      tally,
    );
    const failed = await lm.complete(request).catch((e: unknown) => e);
    // Three attempts (maxRetries 2), all failed: the last one names the error.
    expect(failed).toBeInstanceOf(ProviderError);
    expect(failed).toMatchObject({
      code: "empty_response",
      earlierFaults: ["server", "malformed_response"],
    });
    expect(tally).toEqual({ server: 1, malformed_response: 1, empty_response: 1 });
    expect((await lm.complete(request)).text).toBe("Hello.");
    expect(server!.requests).toHaveLength(4);
  }, 15_000);

  it("never caches an empty answer: the next run against a healthy server gets a real one", async () => {
    const store = createMemoryLmCallStore();
    const empty = await openAi([chatCompletion(""), chatCompletion(""), chatCompletion("")]);
    await expect(withLmCallCache(empty, store).complete(request)).rejects.toMatchObject({
      code: "empty_response",
    });
    await server!.close();
    const healthy = withLmCallCache(await openAi([chatCompletion("Hello.")]), store);
    expect((await healthy.complete(request)).text).toBe("Hello.");
    expect(server!.requests).toHaveLength(1);
  }, 15_000);

  it("a malformed answer does not fail the step: it is retried and counted in provider_faults", async () => {
    const lm = await openAi([
      malformed,
      chatCompletion("fine"),
      chatCompletion(""),
      chatCompletion("ok"),
    ]);
    const report = await runPipeline(
      `workflow:
  name: faults
  steps:
    - name: one
      type: claude
      prompt: [{ type: static, content: "a" }]
    - name: two
      type: claude
      prompt: [{ type: static, content: "b" }]
`,
      lm,
    );
    expect(report.steps.map((s) => s.status)).toEqual(["success", "success"]);
    expect(report.provider_faults).toEqual({ malformed_response: 1, empty_response: 1 });
  }, 15_000);

  it("treats empty Anthropic and Gemini answers the same way", async () => {
    const anthropicMessage = (content: unknown[]): WireReply => ({
      status: 200,
      body: {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "claude-haiku-4-5",
        content,
        stop_reason: "end_turn",
        usage: { input_tokens: 3, output_tokens: 0 },
      },
    });
    const emptyMessage = anthropicMessage([]);
    const message = anthropicMessage([{ type: "text", text: "Yes." }]);
    const emptyCandidate: WireReply = {
      status: 200,
      body: { candidates: [{ content: { role: "model", parts: [] }, finishReason: "STOP" }] },
    };
    const candidate: WireReply = {
      status: 200,
      body: { candidates: [{ content: { role: "model", parts: [{ text: "Yes." }] } }] },
    };
    server = await startWireServer([emptyMessage, message, emptyCandidate, candidate]);
    const anthropic = new AnthropicModel({ apiKey: KEY, baseUrl: server.url });
    const gemini = new GeminiModel({ apiKey: KEY, baseUrl: server.url });
    expect(await anthropic.complete(request)).toMatchObject({
      text: "Yes.",
      faults: ["empty_response"],
    });
    expect(await gemini.complete(request)).toMatchObject({
      text: "Yes.",
      faults: ["empty_response"],
    });
  }, 15_000);
});
