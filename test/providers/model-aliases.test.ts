import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { DEFAULT_MODELS, findModelPrice, MODEL_ALIASES } from "../../src/providers/index.js";

const require = createRequire(import.meta.url);
/** The installed SDK's own directory (its `exports` hide `internal/`, so we read the files). */
function sdkDir(name: string): string {
  const entry = require.resolve(name);
  const root = `${path.sep}node_modules${path.sep}${name}`;
  return entry.slice(0, entry.lastIndexOf(root) + root.length);
}

/** `{ "claude-sonnet-4-5": "November 30th, 2026", ... }`: the models the Anthropic SDK warns about. */
async function anthropicDeprecations(): Promise<Record<string, string>> {
  const file = path.join(sdkDir("@anthropic-ai/sdk"), "internal/data/deprecated-models.mjs");
  const module = (await import(pathToFileURL(file).href)) as {
    DEPRECATED_MODELS: Record<string, string>;
  };
  return module.DEPRECATED_MODELS;
}

const endOfLife = (date: string) => new Date(Date.parse(date.replace(/(\d)(st|nd|rd|th)/, "$1")));

const claudeTargets = [...Object.values(MODEL_ALIASES.claude), DEFAULT_MODELS.claude];
const geminiTargets = [...Object.values(MODEL_ALIASES.gemini), DEFAULT_MODELS.gemini];

describe("default model aliases follow the SDKs' own model data", () => {
  it("no Claude alias or default is in the installed SDK's deprecated-models table", async () => {
    const deprecated = await anthropicDeprecations();
    // The table is read, not assumed: it names the model whose warnings flooded the test log.
    expect(endOfLife(deprecated["claude-sonnet-4-5"]!).toISOString().slice(0, 10)).toBe(
      "2026-11-30",
    );
    const today = new Date();
    const listed = claudeTargets
      .filter((id) => id in deprecated)
      .map((id) => {
        const eol = endOfLife(deprecated[id]!);
        return `${id}: deprecated, end of life ${deprecated[id]} (${eol <= today ? "past" : "coming"})`;
      });
    expect(listed).toEqual([]);
  });

  it("every Claude target is a model the SDK knows and our price table prices", async () => {
    const types = await readFile(
      path.join(sdkDir("@anthropic-ai/sdk"), "resources/messages/messages.d.ts"),
      "utf8",
    );
    const known = new Set([...types.matchAll(/'(claude-[a-z0-9-]+)'/g)].map((m) => m[1]!));
    for (const id of claudeTargets) {
      expect(known, id).toContain(id);
      expect(findModelPrice(id), id).toBeDefined();
      expect(findModelPrice(id)!.output).toBeGreaterThan(0);
    }
  });

  it("every Gemini target is in @google/genai's model list and priced", async () => {
    const types = await readFile(path.join(sdkDir("@google/genai"), "dist/genai.d.ts"), "utf8");
    for (const id of geminiTargets) {
      expect(types, id).toContain(id);
      expect(findModelPrice(id)!.output, id).toBeGreaterThan(0);
    }
  });
});
