import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { pipelineSchemaId, renderConfigurationDocs, renderPipelineSchemaJson } from "../../src/config/index.js";

const root = resolve(import.meta.dirname, "../..");

describe("published schema and docs", () => {
  it("commits schema/pipeline.schema.json exactly as `npm run schema` generates it", () => {
    expect(readFileSync(resolve(root, "schema/pipeline.schema.json"), "utf8")).toBe(renderPipelineSchemaJson());
  });

  it("commits docs/configuration.md exactly as `npm run schema` generates it", () => {
    expect(readFileSync(resolve(root, "docs/configuration.md"), "utf8")).toBe(renderConfigurationDocs());
  });

  it("publishes a draft 2020-12 schema with an $id that ajv compiles in strict mode", () => {
    const schema = JSON.parse(renderPipelineSchemaJson()) as Record<string, unknown>;
    expect(schema["$schema"]).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema["$id"]).toBe(pipelineSchemaId);
    const ajv = new Ajv2020({ discriminator: true, strictTypes: false });
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it("documents every step type, prompt part and key of ours", () => {
    const docs = renderConfigurationDocs();
    for (const heading of ["### `claude`", "### `claude_robust`", "### `pipeline`", "### `claude_continue`", "## dspy_config", "## hybrid_config"]) expect(docs).toContain(heading);
    expect(docs).toContain("| `hybrid_config.mode` | `traditional` \\| `dspy_optimized` \\| `hybrid` \\| `evaluation` |  | `\"traditional\"` |");
    expect(docs).toContain("# yaml-language-server: $schema=");
  });
});
