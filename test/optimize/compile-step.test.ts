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
  it("records baseline and optimized dev scores and LM calls by purpose in DSPy-style JSON", async () => {
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
      baseline_dev_score: 0,
      n_dev: 4,
      n_train: 4,
      created_at: "2026-01-02T03:04:05.000Z",
      simulated: true,
    });
    expect(meta.optimized_dev_score).toBeGreaterThan(0.5);
    expect(meta.lm_calls).toMatchObject({
      calls: { teacher: 3, proposal: 0, evaluation: 8, judge: 0, ab: 0 },
      total_calls: 11,
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

  it("never sends more than --budget-calls, and says when the budget is too small to score", async () => {
    for (const budgetCalls of [3, 9, 10, 12]) {
      const lm = new ScriptedModel();
      const outcome = await compileStep({
        step,
        workflow,
        workdir: dir,
        lm,
        model: "scripted-1",
        budgetCalls,
        now,
      });
      expect(lm.requests.length).toBeLessThanOrEqual(budgetCalls);
      if (budgetCalls < 8)
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
