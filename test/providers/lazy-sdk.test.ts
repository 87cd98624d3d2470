import { afterEach, describe, expect, it, vi } from "vitest";
import { createLanguageModel } from "../../src/providers/index.js";
import { startWireServer, type WireServer } from "./wire-server.js";

// Each SDK is the real module; the mock only records when it is first loaded.
const loaded = vi.hoisted(() => [] as string[]);
vi.mock("@anthropic-ai/sdk", async (importOriginal) => {
  loaded.push("@anthropic-ai/sdk");
  return importOriginal();
});
vi.mock("@google/genai", async (importOriginal) => {
  loaded.push("@google/genai");
  return importOriginal();
});
vi.mock("openai", async (importOriginal) => {
  loaded.push("openai");
  return importOriginal();
});

let server: WireServer | undefined;
afterEach(async () => server?.close());

const env = { ANTHROPIC_API_KEY: "sk-ant-x", GEMINI_API_KEY: "AIza-x", OPENAI_API_KEY: "sk-x" };

describe("provider SDKs load on the first call", () => {
  it("loads no SDK to build any model, and only the chosen provider's SDK on its first call", async () => {
    const sim = createLanguageModel({ provider: "sim", env });
    for (const provider of ["anthropic", "gemini", "openai"] as const)
      createLanguageModel({ provider, env });
    await sim.complete({
      model: "sim",
      messages: [{ role: "user", content: "hi" }],
      maxTokens: 16,
    });
    expect(loaded).toEqual([]);

    server = await startWireServer([
      {
        status: 200,
        body: {
          id: "chatcmpl-1",
          object: "chat.completion",
          created: 0,
          model: "gpt-4o-mini",
          choices: [
            { index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" },
          ],
        },
      },
    ]);
    const openai = createLanguageModel({
      provider: "openai",
      env: { OPENAI_API_KEY: "sk-x", OPENAI_BASE_URL: server.url },
      maxRetries: 0,
    });
    expect(
      (
        await openai.complete({
          model: "gpt-4o-mini",
          messages: [{ role: "user", content: "hi" }],
          maxTokens: 16,
        })
      ).text,
    ).toBe("ok");
    expect(loaded).toEqual(["openai"]);
  });
});
