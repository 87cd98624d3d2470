import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTieredCache } from "../../src/cache/index.js";
import { compileStep, fromDspyJson, toDspyJson } from "../../src/optimize/index.js";
import { ScriptedModel } from "./scripted-model.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "compile-step-"));
  const rows = [
    ["apple red round", "fruit"],
    ["carrot orange long", "vegetable"],
    ["salmon pink river", "fish"],
    ["pear green soft", "fruit"],
    ["leek green long", "vegetable"],
    ["trout river spotted", "fish"],
    ["apple red crisp", "fruit"],
    ["carrot orange crunchy", "vegetable"],
  ];
  await writeFile(
    join(dir, "classify.jsonl"),
    rows.map(([input, output]) => JSON.stringify({ input, output })).join("\n") + "\n",
  );
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const step = {
  name: "classify",
  signature: "text -> label" as const,
  metric: "exact_match" as const,
};
const workflow = {
  name: "wf",
  dspy_config: { training_data_path: ".", optimizer_options: { max_bootstrapped_demos: 2 } },
};
const now = () => Date.parse("2026-01-02T03:04:05Z");

describe("compileStep", () => {
  it("records held-out evidence (here: too few examples for a verdict) and LM calls by purpose in DSPy-style JSON", async () => {
    const lm = new ScriptedModel();
    const outcome = await compileStep({
      step,
      workflow,
      workdir: dir,
      lm,
      model: "scripted-1",
      now,
    });
    expect(outcome.kind).toBe("compiled");
    if (outcome.kind !== "compiled") return;
    const json = toDspyJson(outcome.program);
    expect(Object.keys(json)).toEqual(["predict", "metadata", "hybrid_pipeline"]);
    const predict = json.predict as Record<string, unknown>;
    expect(Object.keys(predict)).toEqual(["traces", "train", "demos", "signature", "lm"]);
    expect(predict.signature).toEqual({
      instructions: "Given the fields `text`, produce the fields `label`.",
      fields: [
        { prefix: "Text:", description: "${text}" },
        { prefix: "Label:", description: "${label}" },
      ],
    });
    const demos = predict.demos as Array<Record<string, unknown>>;
    expect(demos[0]).toEqual({
      augmented: true,
      text: expect.any(String),
      label: expect.any(String),
    });
    expect(demos.filter((d) => d.augmented === true)).toHaveLength(2);
    const meta = json.hybrid_pipeline as Record<string, unknown>;
    expect(meta).toMatchObject({
      step: "classify",
      signature: "text -> label",
      optimizer: "bootstrap_few_shot",
      metric: "exact_match",
      n_train: 7,
      n_validation: 1,
      // 8 labelled examples are below the floor of 10: no held-out verdict, and no score stands in for one.
      heldout: { split: "none", folds: null, n_labelled: 8, min_labelled: 10, pairs: [] },
      created_at: "2026-01-02T03:04:05.000Z",
      simulated: true,
    });
    expect(meta.lm_calls).toMatchObject({
      calls: { proposal: 0, evaluation: 0, judge: 0, ab: 0 },
    });
    expect(fromDspyJson(JSON.parse(JSON.stringify(json)))).toEqual(outcome.program);
  });

  it("a second compile of unchanged inputs is a cache hit that sends no LM calls", async () => {
    const cache = await createTieredCache({ cacheDir: join(dir, "cache"), workdir: dir });
    const first = await compileStep({
      step,
      workflow,
      workdir: dir,
      lm: new ScriptedModel(),
      model: "scripted-1",
      cache,
      now,
    });
    const lm = new ScriptedModel();
    const second = await compileStep({
      step,
      workflow,
      workdir: dir,
      lm,
      model: "scripted-1",
      cache,
      now,
    });
    await cache.close();
    expect(first.kind === "compiled" && first.tier).toBe("computed");
    expect(second.kind === "compiled" && second.tier).toBe("memory");
    expect(lm.requests).toHaveLength(0);
    expect(second.usage.total_calls).toBe(0);
  });

  it("scores every example with a program compiled without it when cross-fitting", async () => {
    const lm = new ScriptedModel();
    const outcome = await compileStep({
      step,
      workflow: { ...workflow, dspy_config: { ...workflow.dspy_config, min_labelled_examples: 4 } },
      workdir: dir,
      lm,
      model: "scripted-1",
      now,
    });
    if (outcome.kind !== "compiled") throw new Error(outcome.kind);
    const { heldout } = outcome.program.meta;
    expect(heldout).toMatchObject({ split: "cross_fit", n_labelled: 8 });
    expect(heldout.folds).toBeGreaterThanOrEqual(2);
    expect(heldout.pairs).toHaveLength(8);
    expect(new Set(heldout.ids).size).toBe(8);
    // The held-out (A/B) requests of the optimized arm: their input is never among their own demos.
    const textOf = (content: string) => /\[\[ ## text ## \]\]\n(.*)/.exec(content)?.[1];
    const scored = lm.requests.filter((r) => r.purpose === "evaluate" && r.messages.length > 1);
    expect(scored.length).toBeGreaterThan(0);
    for (const r of scored) {
      const input = textOf(r.messages.at(-1)!.content);
      const demos = r.messages.slice(0, -1).filter((m) => m.role === "user");
      expect(demos.map((m) => textOf(m.content))).not.toContain(input);
    }
  });

  it("puts each example in the same split whatever else is added to the data", async () => {
    const { planEvidence, splitSettings } = await import("../../src/optimize/index.js");
    const settings = splitSettings({ min_test_examples: 1 });
    const examples = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: `e${i}`,
        inputs: { t: `${i}` },
        outputs: { l: "x" },
      }));
    const where = (n: number) => {
      const plan = planEvidence(examples(n), settings);
      if (plan.kind !== "test") throw new Error(plan.kind);
      return (id: string) => (plan.test.some((e) => e.id === id) ? "test" : "train/validation");
    };
    const before = where(40);
    const after = where(80);
    for (let i = 0; i < 40; i++) expect(after(`e${i}`)).toBe(before(`e${i}`));
    const test = examples(80).filter((e) => after(e.id) === "test").length;
    expect(test).toBeGreaterThan(20);
    expect(test).toBeLessThan(44);
  });

  it("never sends more than --budget-calls, and says when the budget is too small to score", async () => {
    for (const budgetCalls of [3, 9, 10, 12, 16, 20]) {
      const lm = new ScriptedModel();
      const outcome = await compileStep({
        step,
        workflow: {
          ...workflow,
          dspy_config: {
            ...workflow.dspy_config,
            min_labelled_examples: 4,
            min_test_examples: 1,
            test_fraction: 0.5,
          },
        },
        workdir: dir,
        lm,
        model: "scripted-1",
        budgetCalls,
        now,
      });
      expect(lm.requests.length).toBeLessThanOrEqual(budgetCalls);
      // Scoring the held-out pairs needs 2 calls per test example beside the optimizer's teacher calls.
      if (budgetCalls < 12)
        expect(outcome).toMatchObject({ kind: "unavailable", reason: "optimization_failed" });
      else expect(outcome.kind).toBe("compiled");
    }
  });

  it("is unavailable with a reason when the step has no signature or no data", async () => {
    const lm = new ScriptedModel();
    expect(
      await compileStep({
        step: { name: "classify" },
        workflow,
        workdir: dir,
        lm,
        model: "m",
        now,
      }),
    ).toMatchObject({
      kind: "unavailable",
      reason: "dspy_unavailable",
      detail: "step 'classify' has no signature",
    });
    const missing = await compileStep({
      step: { ...step, name: "other" },
      workflow,
      workdir: dir,
      lm,
      model: "m",
      now,
    });
    expect(missing).toMatchObject({ kind: "unavailable", reason: "dspy_unavailable" });
    expect(missing.kind === "unavailable" && missing.detail).toMatch(
      /^no training data for step 'other' \(looked for .*other\.\{jsonl,json,yaml,yml\}\)$/,
    );
  });
});
