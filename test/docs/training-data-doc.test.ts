import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  formatDataProblem,
  loadTrainingData,
  parseSignatureString,
} from "../../src/optimize/index.js";

const doc = readFileSync(resolve(import.meta.dirname, "../../docs/training-data.md"), "utf8");

interface DocExample {
  step: string;
  signature: string;
  file: string;
  count?: number;
  error?: string;
  body: string;
}

/** Each fenced block preceded by an `<!-- example: key=value … -->` line. */
function docExamples(): DocExample[] {
  const pattern = /<!-- example: (.*?) -->\n```\w+\n([\s\S]*?)```/g;
  return [...doc.matchAll(pattern)].map((m) => {
    const attrs = Object.fromEntries(
      [...m[1]!.matchAll(/(\w+)=(?:"([^"]*)"|(\S+))/g)].map((a) => [a[1]!, a[2] ?? a[3]!]),
    );
    return {
      step: attrs.step!,
      signature: attrs.signature!,
      file: attrs.file!,
      count: attrs.count === undefined ? undefined : Number(attrs.count),
      error: attrs.error,
      body: m[2]!,
    };
  });
}

async function load(example: DocExample) {
  const workdir = mkdtempSync(join(tmpdir(), "training-doc-"));
  const single =
    !/^[\w-]+\.(jsonl|json|yaml|yml)$/.test(example.file) || example.file === "training_data.yaml";
  const path = single ? example.file : "training_data";
  if (!single) mkdirSync(join(workdir, path));
  writeFileSync(join(workdir, single ? path : join(path, example.file)), example.body);
  const parsed = parseSignatureString(example.signature);
  return loadTrainingData({
    workdir,
    path,
    step: example.step,
    signature: { ...parsed, instructions: "", promptAsInput: false },
  });
}

describe("docs/training-data.md", () => {
  const examples = docExamples();

  it("has examples of every format the loader reads", () => {
    expect(examples.map((e) => e.file.split(".").pop()).sort()).toEqual([
      "json",
      "jsonl",
      "jsonl",
      "yaml",
      "yaml",
    ]);
  });

  for (const example of examples) {
    it(`${example.error ? "refuses" : "loads"} its ${example.file} example for ${example.step}`, async () => {
      const data = await load(example);
      if (example.error) {
        expect(data.kind).toBe("invalid");
        const lines = data.kind === "invalid" ? data.problems.map(formatDataProblem) : [];
        expect(lines[0]).toContain(example.error);
        expect(doc).toContain(lines[0]!.replace(/^[^:]*training_data\//, "training_data/"));
      } else {
        expect(data.kind).toBe("loaded");
        expect(data.kind === "loaded" ? data.examples.length : 0).toBe(example.count);
      }
    });
  }
});
