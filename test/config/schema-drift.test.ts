import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validatePipeline } from "../../src/config/generated/pipeline-validator.js";
import {
  pipelineJsonSchema,
  pipelineSchemaId,
  renderConfigurationDocs,
  renderPipelineSchemaJson,
} from "../../src/config/index.js";
import {
  pipelineValidatorPath,
  renderPipelineValidator,
} from "../../src/config/render-pipeline-validator.js";
import { corpusAvailable, corpusFiles, pipelineExFixtures } from "../support/corpus.js";

const root = resolve(import.meta.dirname, "../..");

describe("published schema and docs", () => {
  it("commits schema/pipeline.schema.json exactly as `npm run schema` generates it", () => {
    expect(readFileSync(resolve(root, "schema/pipeline.schema.json"), "utf8")).toBe(
      renderPipelineSchemaJson(),
    );
  });

  it("commits docs/configuration.md exactly as `npm run schema` generates it", () => {
    expect(readFileSync(resolve(root, "docs/configuration.md"), "utf8")).toBe(
      renderConfigurationDocs(),
    );
  });

  it("commits the precompiled validator exactly as `npm run schema` generates it from the schema", () => {
    expect(readFileSync(resolve(root, pipelineValidatorPath), "utf8")).toBe(
      renderPipelineValidator(),
    );
  });

  it("reports with the precompiled validator exactly the errors ajv reports compiling the schema at run time", () => {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, discriminator: true, strict: false });
    const compiled = ajv.compile(pipelineJsonSchema());
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) =>
        statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)],
      );
    // The corpus when present, and always the fixtures of our own (so a clone without it still compares).
    const documents = [
      ...corpusFiles(),
      ...walk(pipelineExFixtures),
      ...walk(resolve(root, "test/fixtures/pipelines")),
    ]
      .filter((p) => /\.ya?ml/.test(p))
      .flatMap((p) => {
        try {
          return [parse(readFileSync(p, "utf8")) as unknown];
        } catch {
          return [];
        }
      });
    const invalid = documents.filter((data) => !compiled(data));
    expect(invalid.length).toBeGreaterThan(corpusAvailable ? 5 : 0);
    for (const data of documents) {
      expect(validatePipeline(data)).toBe(compiled(data));
      expect(validatePipeline.errors).toEqual(compiled.errors);
    }
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
    for (const heading of [
      "### `claude`",
      "### `claude_robust`",
      "### `pipeline`",
      "### `claude_continue`",
      "## dspy_config",
      "## hybrid_config",
    ])
      expect(docs).toContain(heading);
    expect(docs).toContain(
      '| `hybrid_config.mode` | `traditional` \\| `dspy_optimized` \\| `hybrid` \\| `evaluation` |  | `"traditional"` |',
    );
    expect(docs).toContain("# yaml-language-server: $schema=");
  });
});
