import { describe, expect, it } from "vitest";
import {
  createLanguageModel,
  ProviderError,
  resolveModel,
  resolveProviderName,
} from "../../src/providers/index.js";

describe("resolveProviderName", () => {
  it("picks the first provider with a key for auto, else sim", () => {
    expect(resolveProviderName("auto", {})).toBe("sim");
    expect(resolveProviderName("auto", { OPENAI_API_KEY: "k" })).toBe("openai");
    expect(resolveProviderName("auto", { GOOGLE_API_KEY: "k", OPENAI_API_KEY: "k" })).toBe(
      "gemini",
    );
    expect(resolveProviderName("auto", { GEMINI_API_KEY: "k", ANTHROPIC_API_KEY: "k" })).toBe(
      "anthropic",
    );
    expect(resolveProviderName("openai", {})).toBe("openai");
  });
});

describe("createLanguageModel", () => {
  it("builds sim offline and the named provider when its key is set", () => {
    expect(createLanguageModel({ provider: "auto", env: {} })).toMatchObject({
      provider: "sim",
      simulated: true,
    });
    expect(
      createLanguageModel({ provider: "auto", env: { ANTHROPIC_API_KEY: "sk-ant-x" } }),
    ).toMatchObject({ provider: "anthropic", simulated: false });
    expect(
      createLanguageModel({ provider: "gemini", env: { GEMINI_API_KEY: "AIza-x" } }).provider,
    ).toBe("gemini");
    expect(
      createLanguageModel({
        provider: "openai",
        env: { OPENAI_API_KEY: "sk-x", OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" },
      }).provider,
    ).toBe("openai");
  });

  it("refuses a named provider without its key, saying which variable to set", () => {
    const error = (() => {
      try {
        return createLanguageModel({ provider: "anthropic", env: {} });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      code: "not_configured",
      message: "anthropic needs an API key: set ANTHROPIC_API_KEY, or use --provider sim",
    });
    expect(() => createLanguageModel({ provider: "replay", env: {} })).toThrow(
      "replay needs a cassette directory",
    );
  });
});

describe("resolveModel", () => {
  it("maps aliases to current ids, defaults per family and passes other ids through", () => {
    expect(resolveModel("claude", "sonnet")).toBe("claude-sonnet-4-6");
    expect(resolveModel("claude", "Opus")).toBe("claude-opus-4-6");
    expect(resolveModel("claude", "haiku")).toBe("claude-haiku-4-5");
    expect(resolveModel("claude")).toBe("claude-sonnet-4-6");
    expect(resolveModel("claude", "claude-opus-4-20250514")).toBe("claude-opus-4-20250514");
    expect(resolveModel("gemini")).toBe("gemini-2.5-flash");
    expect(resolveModel("gemini", "pro")).toBe("gemini-2.5-pro");
    expect(resolveModel("gemini", "gemini-flash-lite-latest")).toBe("gemini-flash-lite-latest");
  });
});
