import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadWorkflowText, type LoadResult } from "../../src/config/index.js";
import { corpusAvailable, corpusFiles, pipelineExFixtures } from "../support/corpus.js";

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)],
  );

// The corpus when present; otherwise the pipeline_ex files and fixtures of our own, so a clone still fuzzes.
const sources = corpusAvailable
  ? corpusFiles()
  : [...walk(pipelineExFixtures), ...walk(resolve(import.meta.dirname, "../fixtures/pipelines"))];
// Files using our keys (signature, dspy_config) are left out: lenient mode rightly errs on a mutated
// key of ours that pipeline_ex's loader ignores, so the second property does not hold for them.
const texts = sources
  .filter((p) => /\.ya?ml/.test(p))
  .sort()
  .map((p) => readFileSync(p, "utf8"))
  .filter((t) => !/^\s*(signature|dspy_config|hybrid_config):/m.test(t));

/** Fragments that break YAML and pipeline structure in the ways people do. */
const tokens = [
  ":",
  "- ",
  "  ",
  "\t",
  "'",
  '"',
  "[",
  "]",
  "{",
  "}",
  "&a ",
  "*a",
  "---",
  "~",
  "null",
  "1e3",
  "type: claud",
  "prompt: x",
  "<<: *a",
  "!!str ",
  "# c",
  "[]",
  "{}",
  "42",
  "true",
  "[1, 2]",
  "{type: static}",
  "- a",
  "type: previous_response",
  "step: nowhere",
  "functions: [f]",
  "mode: fast",
  "workflow:",
  "name:",
  "steps: 3",
  "\u00e9",
  "%YAML 1.2",
  "? k",
];

type Mutation =
  | { kind: "delete" | "duplicate" | "truncate"; at: number }
  | { kind: "swap"; at: number; other: number }
  | { kind: "insert" | "replaceValue"; at: number; col: number; token: string }
  | { kind: "indent"; at: number; by: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("delete" as const, "duplicate" as const, "truncate" as const),
    at: fc.nat(),
  }),
  fc.record({ kind: fc.constant("swap" as const), at: fc.nat(), other: fc.nat() }),
  fc.record({
    kind: fc.constantFrom("insert" as const, "replaceValue" as const),
    at: fc.nat(),
    col: fc.nat(80),
    token: fc.constantFrom(...tokens),
  }),
  fc.record({
    kind: fc.constant("indent" as const),
    at: fc.nat(),
    by: fc.constantFrom(-4, -2, -1, 1, 2, 4),
  }),
);

function mutate(text: string, m: Mutation): string {
  const lines = text.split("\n");
  const i = m.at % lines.length;
  const line = lines[i]!;
  switch (m.kind) {
    case "delete":
      lines.splice(i, 1);
      break;
    case "duplicate":
      lines.splice(i, 0, line);
      break;
    case "truncate":
      return text.slice(0, m.at % (text.length + 1));
    case "swap": {
      const j = m.other % lines.length;
      lines[i] = lines[j]!;
      lines[j] = line;
      break;
    }
    case "insert": {
      const c = m.col % (line.length + 1);
      lines[i] = line.slice(0, c) + m.token + line.slice(c);
      break;
    }
    case "replaceValue": {
      const c = line.indexOf(": ");
      lines[i] = c < 0 ? `${line} ${m.token}` : `${line.slice(0, c + 2)}${m.token}`;
      break;
    }
    case "indent":
      lines[i] =
        m.by > 0
          ? " ".repeat(m.by) + line
          : line.slice(Math.min(-m.by, line.length - line.trimStart().length));
      break;
  }
  return lines.join("\n");
}

function everyProblemPositioned(result: LoadResult, text: string): void {
  const lineCount = text.split("\n").length;
  const all = [...(result.ok ? [] : result.problems), ...result.warnings];
  if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
  for (const p of all) {
    expect(p.file).toBe("fuzz.yaml");
    expect(Number.isInteger(p.line) && p.line >= 1 && p.line <= lineCount + 1).toBe(true);
    expect(Number.isInteger(p.col) && p.col >= 1).toBe(true);
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.hint?.length ?? 0).toBeGreaterThan(0);
  }
}

describe("validate under mutation", () => {
  it("never crashes on 10,000 mutated corpus files, and every failure is a positioned error", () => {
    let runs = 0;
    fc.assert(
      fc.property(
        fc.nat(texts.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (index, mutations, strict) => {
          const text = mutations.reduce(mutate, texts[index]!);
          everyProblemPositioned(loadWorkflowText(text, "fuzz.yaml", { strict }), text);
          runs++;
        },
      ),
      { seed: 20261128, numRuns: 10_000 },
    );
    expect(runs).toBe(10_000);
  }, 60_000);

  it("lenient mode accepts every mutated file pipeline_ex's loader accepts, but for dangling references and unknown nested step types", () => {
    const catches = new Set(["UNKNOWN_STEP_TYPE", "DANGLING_REFERENCE"]);
    fc.assert(
      fc.property(
        fc.nat(texts.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 2 }),
        (index, mutations) => {
          const text = mutations.reduce(mutate, texts[index]!);
          if (!loadWorkflowText(text, "fuzz.yaml", { strict: true }).ok) return;
          const lenient = loadWorkflowText(text, "fuzz.yaml");
          expect(lenient.ok ? [] : lenient.problems.filter((p) => !catches.has(p.code))).toEqual(
            [],
          );
        },
      ),
      { seed: 20261129, numRuns: 2_000 },
    );
  }, 60_000);
});
