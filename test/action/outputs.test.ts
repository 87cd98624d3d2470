import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { actionOutputs, budgetStops, failures, isRegression } from "../../src/action/outputs.js";
import { parseInputs } from "../../src/action/inputs.js";
import { abBlock, report, step } from "../support/report-fixtures.js";

const worse = step({
  name: "summarize",
  route: "ab",
  ab: abBlock({
    delta: -0.2,
    ci95: [-0.31, -0.08],
    p_value: 0.01,
    recommendation: "use_traditional",
  }),
});
const unclear = step({
  name: "docs",
  route: "ab",
  ab: abBlock({ delta: -0.02, ci95: [-0.1, 0.06], p_value: 0.6, recommendation: "keep_testing" }),
});
const better = step({ name: "analyze", route: "ab", ab: abBlock() });

describe("outputs and fail-on", () => {
  it("counts a step as a regression only when optimized is significantly worse", () => {
    expect(isRegression(worse)).toBe(true);
    expect(isRegression(unclear)).toBe(false);
    expect(isRegression(better)).toBe(false);
    // One rule: the CI decides (a version-1 p-value from another test does not).
    expect(
      isRegression(step({ ab: abBlock({ delta: -0.05, ci95: [-0.2, 0.01], p_value: 0.04 }) })),
    ).toBe(false);
    // With held-out evidence, the FDR-controlled verdict decides.
    const heldout = (verdict: "worse" | "inconclusive") =>
      step({
        ab: abBlock({
          delta: -0.1,
          ci95: [-0.2, -0.01],
          p_value: 0.03,
          heldout: {
            split: "test",
            folds: null,
            n: 40,
            n_labelled: 100,
            min_labelled: 10,
            repeats: 1,
            n_train: 40,
            n_validation: 20,
            test: "paired_t",
            se: 0.05,
            df: 39,
            verdict,
            q_value: verdict === "worse" ? 0.03 : 0.09,
            ci_fdr: verdict === "worse" ? [-0.2, -0.01] : [-0.22, 0.01],
            validity: { traditional: 1, optimized: 1 },
          },
        }),
      });
    expect(isRegression(heldout("worse"))).toBe(true);
    expect(isRegression(heldout("inconclusive"))).toBe(false);
    expect(
      isRegression(step({ ab: abBlock({ delta: -0.1, ci95: [-0.2, -0.01], p_value: null }) })),
    ).toBe(true);
  });

  it("fails on regression under fail-on regression, on errors under error, and never under never", () => {
    const runs = [
      report({
        workflow: "code_review",
        file: "pipelines/a.yaml",
        steps: [better, worse, unclear],
      }),
    ];
    expect(failures(runs, "regression")).toEqual([
      "workflow code_review (pipelines/a.yaml): step summarize: optimized is significantly worse than traditional (Δ -0.200, 95% CI [-0.310, -0.080], p 0.01, n 40)",
    ]);
    expect(failures(runs, "error")).toEqual([]);
    expect(failures(runs, "never")).toEqual([]);
    const broken = [
      report({
        workflow: "triage",
        file: "pipelines/b.yaml",
        status: "failed",
        steps: [step({ status: "failed", error: "provider auth failed" }), worse],
      }),
    ];
    expect(failures(broken, "error")).toEqual([
      "workflow triage (pipelines/b.yaml): step analyze failed: provider auth failed",
    ]);
    expect(failures(broken, "regression")).toEqual([
      "workflow triage (pipelines/b.yaml): step analyze failed: provider auth failed",
      "workflow triage (pipelines/b.yaml): step summarize: optimized is significantly worse than traditional (Δ -0.200, 95% CI [-0.310, -0.080], p 0.01, n 40)",
    ]);
    expect(failures(broken, "never")).toEqual([]);
  });

  it("reports a budget stop without failing on it", () => {
    const stopped = report({
      workflow: "code_review",
      file: "pipelines/a.yaml",
      status: "partial",
      steps: [
        better,
        step({ name: "summarize", status: "not_run", error: "budget of $0.40 spent" }),
        step({ name: "docs", status: "not_run" }),
      ],
      budget: { limit_usd: 0.4, spent_usd: 0.4012, exhausted: true },
    });
    expect(failures([stopped], "error")).toEqual([]);
    expect(failures([stopped], "regression")).toEqual([]);
    expect(budgetStops([stopped, report()])).toEqual([
      "workflow code_review (pipelines/a.yaml): budget spent ($0.4012 of $0.40), stopped early; not run: summarize, docs. A budget stop is not a failure under fail-on.",
    ]);
  });

  it("derives the outputs from the reports", () => {
    const runs = [
      report({
        mode: "evaluation",
        steps: [better, worse],
        budget: { limit_usd: 2, spent_usd: 0.41, exhausted: false },
      }),
    ];
    expect(
      actionOutputs(runs, "out/report.json", "https://github.com/o/r/issues/2#issuecomment-1"),
    ).toEqual({
      "report-path": "out/report.json",
      mode: "evaluation",
      "quality-delta": "0.0100",
      "cost-usd": "0.410000",
      recommendation: "mixed",
      "comment-url": "https://github.com/o/r/issues/2#issuecomment-1",
      "programs-dir": "",
    });
    expect(actionOutputs([report({ steps: [step()] })], "r.json", "")).toMatchObject({
      "quality-delta": "",
      recommendation: "",
    });
  });

  it("documents in action.yml exactly the inputs it reads and the outputs it sets", async () => {
    const action = parse(await readFile(new URL("../../action.yml", import.meta.url), "utf8")) as {
      inputs: object;
      outputs: object;
    };
    const read = new Set<string>();
    parseInputs((name) => (read.add(name), name === "workflows" ? "p/*.yaml" : ""));
    expect(Object.keys(action.inputs).sort()).toEqual([...read].sort());
    expect(Object.keys(action.outputs).sort()).toEqual(
      Object.keys(actionOutputs([], "r.json", "")).sort(),
    );
  });
});
