import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseProvider } from "../../src/providers/index.js";

const none = {};
const fallBack = (cassetteDir: string) => ({ cassetteDir, whenUnusable: "fall_back" as const });
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
    expect(
      chooseProvider("auto", { GEMINI_API_KEY: "g", OPENAI_API_KEY: "o" }, fallBack(empty)),
    ).toEqual({
      provider: "gemini",
      reason: "provider: gemini (auto: its key is set)",
      fellBack: false,
    });
    expect(
      chooseProvider("auto", { OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" }, fallBack(empty))
        .provider,
    ).toBe("openai");
  });

  it("replays cassettes without keys (fork pull requests), else simulates, and says which", () => {
    expect(chooseProvider("auto", none, fallBack(withCassettes))).toEqual({
      provider: "replay",
      reason: `no provider API key (fork pull requests get no secrets): replaying recorded cassettes from ${withCassettes}`,
      fellBack: true,
    });
    expect(chooseProvider("anthropic", none, fallBack(empty))).toEqual({
      provider: "sim",
      reason:
        "no anthropic API key (fork pull requests get no secrets): using the offline simulator (results are simulated)",
      fellBack: true,
    });
  });

  it("honours an explicit sim or replay", () => {
    expect(
      chooseProvider("sim", { ANTHROPIC_API_KEY: "k" }, fallBack(withCassettes)).provider,
    ).toBe("sim");
    expect(chooseProvider("replay", none, fallBack(withCassettes))).toMatchObject({
      provider: "replay",
      fellBack: false,
    });
    expect(chooseProvider("replay", none, fallBack(empty))).toMatchObject({
      provider: "sim",
      fellBack: true,
    });
  });

  it("refuses a named provider without its key unless told to fall back, naming the variables to set", () => {
    expect(() => chooseProvider("anthropic", none)).toThrow(
      "anthropic needs an API key: set ANTHROPIC_API_KEY, or use --provider sim",
    );
    expect(() => chooseProvider("gemini", none)).toThrow(
      "gemini needs an API key: set GOOGLE_API_KEY or GEMINI_API_KEY, or use --provider sim",
    );
    expect(chooseProvider("openai", { OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" })).toEqual({
      provider: "openai",
      reason: "provider: openai (requested)",
      fellBack: false,
    });
  });
});
