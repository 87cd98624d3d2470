import { describe, expect, it } from "vitest";
import { actionOutputs, failures, isRegression } from "../../src/action/outputs.js";
import { abBlock, report, step } from "../support/report-fixtures.js";

const worse = step({ name: "summarize", route: "ab", ab: abBlock({ delta: -0.2, ci95: [-0.31, -0.08], p_value: 0.01, recommendation: "use_traditional" }) });
const unclear = step({ name: "docs", route: "ab", ab: abBlock({ delta: -0.02, ci95: [-0.1, 0.06], p_value: 0.6, recommendation: "keep_testing" }) });
const better = step({ name: "analyze", route: "ab", ab: abBlock() });

describe("outputs and fail-on", () => {
  it("counts a step as a regression only when optimized is significantly worse", () => {
    expect(isRegression(worse)).toBe(true);
    expect(isRegression(unclear)).toBe(false);
    expect(isRegression(better)).toBe(false);
    expect(isRegression(step({ ab: abBlock({ delta: -0.05, ci95: [-0.2, 0.01], p_value: 0.04 }) }))).toBe(true);
  });

  it("fails on regression under fail-on regression, on errors under error, and never under never", () => {
    const runs = [report({ file: "pipelines/a.yaml", steps: [better, worse, unclear] })];
    expect(failures(runs, "regression")).toEqual([
      "pipelines/a.yaml: step summarize: optimized is significantly worse than traditional (Δ -0.200, 95% CI [-0.310, -0.080], p 0.01)",
    ]);
    expect(failures(runs, "error")).toEqual([]);
    const broken = [report({ file: "pipelines/b.yaml", status: "failed", steps: [step({ status: "failed", error: "provider auth failed" }), worse] })];
    expect(failures(broken, "error")).toEqual(["pipelines/b.yaml: step analyze failed: provider auth failed"]);
    expect(failures(broken, "never")).toEqual([]);
  });

  it("derives the outputs from the reports", () => {
    const runs = [report({ mode: "evaluation", steps: [better, worse], budget: { limit_usd: 2, spent_usd: 0.41, exhausted: false } })];
    expect(actionOutputs(runs, "out/report.json", "https://github.com/o/r/issues/2#issuecomment-1")).toEqual({
      "report-path": "out/report.json",
      mode: "evaluation",
      "quality-delta": "0.0100",
      "cost-usd": "0.410000",
      recommendation: "mixed",
      "comment-url": "https://github.com/o/r/issues/2#issuecomment-1",
    });
    expect(actionOutputs([report({ steps: [step()] })], "r.json", "")).toMatchObject({ "quality-delta": "", recommendation: "" });
  });
});
