import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseProvider } from "../../src/action/provider-choice.js";

const none = { anthropic: "", gemini: "", openai: "", openaiBaseUrl: "" };
let withCassettes: string;
let empty: string;
beforeAll(async () => {
  withCassettes = await mkdtemp(join(tmpdir(), "hp-cassettes-"));
  await mkdir(join(withCassettes, "anthropic"));
  await writeFile(join(withCassettes, "anthropic", "abc.json"), "{}");
  empty = join(withCassettes, "missing");
});
afterAll(() => rm(withCassettes, { recursive: true, force: true }));

describe("chooseProvider", () => {
  it("takes the first provider whose key is set under auto", () => {
    expect(chooseProvider("auto", { ...none, gemini: "g", openai: "o" }, empty)).toEqual({
      provider: "gemini",
      reason: "provider: gemini (auto: its key is set)",
      fellBack: false,
    });
    expect(
      chooseProvider("auto", { ...none, openaiBaseUrl: "http://127.0.0.1:11434/v1" }, empty)
        .provider,
    ).toBe("openai");
  });

  it("replays cassettes without keys (fork pull requests), else simulates, and says which", () => {
    expect(chooseProvider("auto", none, withCassettes)).toEqual({
      provider: "replay",
      reason: `no provider API key (fork pull requests get no secrets): replaying recorded cassettes from ${withCassettes}`,
      fellBack: true,
    });
    expect(chooseProvider("anthropic", none, empty)).toEqual({
      provider: "sim",
      reason:
        "no anthropic API key (fork pull requests get no secrets): using the offline simulator (results are simulated)",
      fellBack: true,
    });
  });

  it("honours an explicit sim or replay", () => {
    expect(chooseProvider("sim", { ...none, anthropic: "k" }, withCassettes).provider).toBe("sim");
    expect(chooseProvider("replay", none, withCassettes)).toMatchObject({
      provider: "replay",
      fellBack: false,
    });
    expect(chooseProvider("replay", none, empty)).toMatchObject({
      provider: "sim",
      fellBack: true,
    });
  });
});
