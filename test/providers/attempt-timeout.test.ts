import { afterEach, describe, expect, it } from "vitest";
import { AnthropicModel, GeminiModel, OpenAiModel } from "../../src/providers/index.js";
import { chatCompletion, runPipeline } from "./run-against.js";
import { startWireServer, type WireReply, type WireServer } from "./wire-server.js";

const KEY = "sk-proj-testkey0123456789abcdefghij";
/** Never answers within any timeout of these tests. */
const hang = (): WireReply => ({ status: 200, body: {}, delayMs: 60_000 });
/** How long each exchange lasted, once the server has seen every client hang up (at most 1 s more). */
async function durations(server: WireServer): Promise<number[]> {
  for (let i = 0; i < 100 && server.requests.some((r) => r.closedAt === undefined); i++)
    await new Promise((r) => setTimeout(r, 10));
  return server.requests.map((r) => Math.round((r.closedAt ?? Infinity) - r.at));
}

let server: WireServer | undefined;
afterEach(async () => server?.close());

describe("per-attempt timeout from the pipeline file", () => {
  it("takes the most specific timeout of each step: claude_options, the step, then defaults", async () => {
    server = await startWireServer([hang(), hang(), hang(), chatCompletion("done")]);
    const lm = new OpenAiModel({ apiKey: KEY, baseUrl: `${server.url}/v1`, maxRetries: 0 });
    const report = await runPipeline(
      `workflow:
  name: timeouts
  defaults:
    timeout_seconds: 4
    continue_on_error: true
  steps:
    - name: by_claude_options
      type: claude
      claude_options: { timeout_ms: 500, timeout_seconds: 9 }
      timeout_seconds: 9
      prompt: [{ type: static, content: "a" }]
    - name: by_step
      type: claude
      timeout_seconds: 2
      prompt: [{ type: static, content: "b" }]
    - name: by_defaults
      type: claude
      prompt: [{ type: static, content: "c" }]
    - name: answered
      type: claude
      prompt: [{ type: static, content: "d" }]
`,
      lm,
    );
    // Measured at the server from the request's arrival: a little under the client's timer.
    const [a, b, c] = await durations(server);
    expect(a).toBeGreaterThanOrEqual(200);
    expect(a).toBeLessThan(1500);
    expect(b).toBeGreaterThanOrEqual(1700);
    expect(b).toBeLessThan(3000);
    expect(c).toBeGreaterThanOrEqual(3700);
    expect(c).toBeLessThan(5000);
    expect(report.steps.map((s) => s.status)).toEqual(["failed", "failed", "failed", "success"]);
    expect(report.provider_faults).toEqual({ timeout: 3 });
  }, 20_000);

  it("gives every SDK retry the timeout again: 3 attempts, each ending within timeout + 1 s", async () => {
    server = await startWireServer([hang(), hang(), hang()]);
    const lm = new OpenAiModel({ apiKey: KEY, baseUrl: `${server.url}/v1` });
    const started = performance.now();
    const report = await runPipeline(
      `workflow:
  name: hung
  defaults: { timeout_seconds: 1 }
  steps:
    - name: hung
      type: claude
      prompt: [{ type: static, content: "a" }]
`,
      lm,
    );
    expect(server.requests).toHaveLength(3);
    for (const d of await durations(server)) {
      expect(d).toBeGreaterThanOrEqual(800);
      expect(d).toBeLessThan(2000);
    }
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(report.steps[0]!.status).toBe("failed");
    expect(report.steps[0]!.error).toMatch(/timeout/);
    expect(report.provider_faults).toEqual({ timeout: 3 });
  }, 20_000);

  it("applies the request's timeout through the Anthropic and Gemini SDKs too", async () => {
    server = await startWireServer([hang(), hang()]);
    const request = {
      model: "m",
      messages: [{ role: "user" as const, content: "x" }],
      maxTokens: 8,
      timeoutMs: 500,
    };
    const anthropic = new AnthropicModel({ apiKey: KEY, baseUrl: server.url, maxRetries: 0 });
    const gemini = new GeminiModel({ apiKey: KEY, baseUrl: server.url, maxRetries: 0 });
    await expect(anthropic.complete(request)).rejects.toMatchObject({ code: "timeout" });
    await expect(gemini.complete(request)).rejects.toMatchObject({ code: "timeout" });
    for (const d of await durations(server)) {
      expect(d).toBeGreaterThanOrEqual(300);
      expect(d).toBeLessThan(1500);
    }
  }, 20_000);
});
