import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compileStep, fromDspyJson, toDspyJson } from "../../src/optimize/index.js";
import { ScriptedModel } from "./scripted-model.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "under-budget-"));
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
const workflow = { name: "wf", dspy_config: { training_data_path: "." } };
const now = () => Date.parse("2026-01-02T03:04:05Z");

describe("a budget too small to search", () => {
  for (const optimizer of ["mipro", "bootstrap_few_shot_random_search"] as const)
    it(`${optimizer}: the program metadata says under_budget with the reason, and survives the save format`, async () => {
      const lm = new ScriptedModel(["Say the kind."]);
      // 3 × |dev| (4) for compile's own scoring, and 10 for the optimizer.
      const outcome = await compileStep({
        step,
        workflow,
        workdir: dir,
        lm,
        model: "scripted-1",
        now,
        optimizer,
        budgetCalls: 22,
      });
      expect(outcome.kind).toBe("compiled");
      if (outcome.kind !== "compiled") return;
      const meta = fromDspyJson(toDspyJson(outcome.program))!.meta;
      expect(meta.under_budget).toBe(true);
      expect(meta.search?.under_budget).toBe(true);
      expect(meta.search?.reason).toMatch(/budget/);
      expect(lm.requests.length).toBeLessThanOrEqual(22);
    });

  for (const optimizer of ["mipro", "bootstrap_few_shot_random_search"] as const)
    it(`${optimizer}: with no budget limit the search completes and is not under_budget`, async () => {
      const outcome = await compileStep({
        step,
        workflow,
        workdir: dir,
        lm: new ScriptedModel(["Say the kind."]),
        model: "scripted-1",
        now,
        optimizer,
      });
      expect(outcome.kind).toBe("compiled");
      if (outcome.kind !== "compiled") return;
      expect(outcome.program.meta.under_budget).toBeUndefined();
      expect(outcome.program.meta.search?.under_budget).toBe(false);
      expect(outcome.program.meta.search?.best_score).toBe(
        Math.max(
          ...outcome.program.meta
            .search!.trials.filter((t) => t.kind !== "minibatch")
            .map((t) => t.score),
        ),
      );
    });
});
