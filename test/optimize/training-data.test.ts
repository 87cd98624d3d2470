import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  formatDataProblem,
  loadTrainingData,
  resolveSignature,
  planEvidence,
  splitSettings,
} from "../../src/optimize/index.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "training-data-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const two = resolveSignature({ name: "review", signature: "code, context -> review" }, {})!;

describe("loadTrainingData", () => {
  it("reads both documented record shapes from JSONL", async () => {
    await writeFile(
      join(dir, "review.jsonl"),
      [
        JSON.stringify({ input: { code: "x=1", context: "py" }, output: "fine" }),
        "",
        JSON.stringify({
          id: "e2",
          input: { code: "y", context: { lang: "js" } },
          expected_output: { review: "ok" },
          metadata: { source: "t" },
        }),
      ].join("\n"),
    );
    const data = await loadTrainingData({
      workdir: dir,
      path: ".",
      step: "review",
      signature: two,
    });
    expect(data).toMatchObject({ kind: "loaded", file: "review.jsonl" });
    expect(data.kind === "loaded" && data.examples).toEqual([
      {
        id: expect.stringMatching(/^sha256:[0-9a-f]{16}$/),
        inputs: { code: "x=1", context: "py" },
        outputs: { review: "fine" },
      },
      { id: "e2", inputs: { code: "y", context: '{"lang":"js"}' }, outputs: { review: "ok" } },
    ]);
  });

  it("names the file and line of every bad record", async () => {
    await writeFile(
      join(dir, "review.jsonl"),
      [
        JSON.stringify({ input: { code: "a", context: "b" }, output: "c" }),
        "{oops",
        JSON.stringify({ input: { code: "a" }, output: "c" }),
        JSON.stringify({ input: "a b", output: "c" }),
      ].join("\n"),
    );
    const data = await loadTrainingData({
      workdir: dir,
      path: ".",
      step: "review",
      signature: two,
    });
    expect(data.kind).toBe("invalid");
    if (data.kind !== "invalid") return;
    expect(data.problems.map(formatDataProblem)).toEqual([
      expect.stringMatching(/^review\.jsonl:2:1: error: not valid JSON/),
      "review.jsonl:3:1: error: `input` has no field 'context' (input fields: code, context)",
      "review.jsonl:4:1: error: `input` is a single value but the signature has 2 input fields (code, context); give an object (input fields: code, context)",
    ]);
  });

  it("gives YAML records their lines and finds a missing output", async () => {
    const one = resolveSignature({ name: "review", signature: "code -> review" }, {})!;
    await writeFile(join(dir, "review.yaml"), "# examples\n- input: a\n  output: b\n- input: c\n");
    const data = await loadTrainingData({
      workdir: dir,
      path: ".",
      step: "review",
      signature: one,
    });
    expect(data.kind === "invalid" && data.problems.map(formatDataProblem)).toEqual([
      "review.yaml:4:1: error: record has no `output` (or `expected_output`) (records are {input, output} or {id, input, expected_output, metadata})",
    ]);
  });
});

describe("planEvidence", () => {
  it("is deterministic and disjoint: train, validation and test by hashes of the ids", () => {
    const examples = Array.from({ length: 60 }, (_, i) => ({
      id: `e${i}`,
      inputs: { x: String(i) },
      outputs: { y: "" },
    }));
    const settings = splitSettings({ min_test_examples: 5 });
    const a = planEvidence(examples, settings);
    expect(planEvidence([...examples].reverse(), settings).kind).toBe(a.kind);
    if (a.kind !== "test") throw new Error(a.kind);
    const ids = [...a.ship.trainset, ...a.ship.valset, ...a.test].map((e) => e.id);
    expect(new Set(ids).size).toBe(60);
    expect(ids).toHaveLength(60);
    const reversed = planEvidence([...examples].reverse(), settings);
    if (reversed.kind !== "test") throw new Error(reversed.kind);
    expect(reversed.test.map((e) => e.id).sort()).toEqual(a.test.map((e) => e.id).sort());
  });
  it("cross-fits below min_test_examples and says needs_more_data below the floor", () => {
    const examples = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `e${i}`, inputs: { x: "" }, outputs: { y: "" } }));
    const plan = planEvidence(examples(30), splitSettings(undefined));
    expect(plan.kind).toBe("cross_fit");
    if (plan.kind !== "cross_fit") return;
    expect(plan.folds).toHaveLength(5);
    expect(plan.folds.flatMap((f) => f.heldout.map((e) => e.id)).sort()).toEqual(
      examples(30)
        .map((e) => e.id)
        .sort(),
    );
    for (const fold of plan.folds)
      for (const e of fold.heldout) {
        expect(fold.train.trainset).not.toContain(e);
        expect(fold.train.valset).not.toContain(e);
      }
    expect(planEvidence(examples(9), splitSettings(undefined)).kind).toBe("needs_more_data");
  });
});
