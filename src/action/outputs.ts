import { stepVerdict, type RunReport, type StepReport } from "../report/index.js";
import type { FailOn } from "./inputs.js";

/** The Action's outputs (action.yml `outputs:`), as strings the runner stores. */
export type ActionOutputs = {
  "report-path": string;
  mode: string;
  "quality-delta": string;
  "cost-usd": string;
  recommendation: string;
  "comment-url": string;
  /** Where a default-branch run wrote its program files (the `programs-dir` input), else empty. */
  "programs-dir": string;
};

function abSteps(reports: readonly RunReport[]): StepReport[] {
  return reports.flatMap((r) => r.steps.filter((s) => s.ab !== undefined && s.ab.n > 0));
}

/** Mean Δ (optimized − traditional) over the steps that ran both arms; "" when none did. */
export function qualityDelta(reports: readonly RunReport[]): string {
  const steps = abSteps(reports);
  if (steps.length === 0) return "";
  const mean = steps.reduce((sum, s) => sum + s.ab!.delta, 0) / steps.length;
  return mean.toFixed(4);
}

/** The steps' common recommendation, "mixed" when they differ, "" when no step was compared. */
export function overallRecommendation(reports: readonly RunReport[]): string {
  const found = new Set(abSteps(reports).map((s) => s.ab!.recommendation));
  if (found.size === 0) return "";
  return found.size === 1 ? [...found][0]! : "mixed";
}

/** Builds every output from the run's reports. */
export function actionOutputs(
  reports: readonly RunReport[],
  reportPath: string,
  commentUrl: string,
  programsDir = "",
): ActionOutputs {
  const modes = [...new Set(reports.map((r) => r.mode))];
  const spent = reports.reduce((sum, r) => sum + r.budget.spent_usd, 0);
  return {
    "report-path": reportPath,
    mode: modes.length === 1 ? modes[0]! : modes.join(","),
    "quality-delta": qualityDelta(reports),
    "cost-usd": spent.toFixed(6),
    recommendation: overallRecommendation(reports),
    "comment-url": commentUrl,
    "programs-dir": programsDir,
  };
}

/**
 * A step regresses when its optimized arm is significantly worse than traditional, by the one rule:
 * the held-out verdict `worse` (the FDR-adjusted CI of Δ wholly below 0); without held-out evidence,
 * the block's 95% CI wholly below 0 (its p-value comes from the same test).
 */
export function isRegression(step: StepReport): boolean {
  return stepVerdict(step) === "worse";
}

/** Names the report in a failure line: the workflow as users call it, and the file it came from. */
function where(report: RunReport): string {
  return `workflow ${report.workflow} (${report.file})`;
}

function regressionLine(report: RunReport, step: StepReport): string {
  const ab = step.ab!;
  const p = ab.p_value === null ? "–" : String(Number(ab.p_value.toPrecision(2)));
  return `${where(report)}: step ${step.name}: optimized is significantly worse than traditional (Δ ${ab.delta.toFixed(3)}, 95% CI [${ab.ci95[0].toFixed(3)}, ${ab.ci95[1].toFixed(3)}], p ${p}, n ${ab.n})`;
}

/**
 * Why the step should fail under `fail-on`, one line per offending step; empty → pass. `error` counts
 * failed steps (a budget stop, status `partial`, is not one); `regression` adds significant regressions.
 */
export function failures(reports: readonly RunReport[], failOn: FailOn): string[] {
  if (failOn === "never") return [];
  const lines: string[] = [];
  for (const report of reports) {
    for (const step of report.steps) {
      if (step.status === "failed")
        lines.push(
          `${where(report)}: step ${step.name} failed: ${step.error ?? "no error message"}`,
        );
      if (failOn === "regression" && isRegression(step)) lines.push(regressionLine(report, step));
    }
    if (report.status === "failed" && !report.steps.some((s) => s.status === "failed"))
      lines.push(`${where(report)}: the run failed`);
  }
  return lines;
}

/** One line per run the budget stopped early (`budget.exhausted`, status `partial`): reported, never a failure itself. */
export function budgetStops(reports: readonly RunReport[]): string[] {
  return reports
    .filter((r) => r.budget.exhausted)
    .map((r) => {
      const notRun = r.steps.filter((s) => s.status === "not_run").map((s) => s.name);
      const steps = notRun.length > 0 ? `; not run: ${notRun.join(", ")}` : "";
      const limit = r.budget.limit_usd === null ? "" : ` of $${r.budget.limit_usd.toFixed(2)}`;
      return `${where(r)}: budget spent ($${r.budget.spent_usd.toFixed(4)}${limit}), stopped early${steps}. A budget stop is not a failure under fail-on.`;
    });
}
