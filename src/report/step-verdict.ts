import type { RunReport, StepReport, Verdict } from "./run-report.js";
import { verdictOf } from "./verdict.js";

/** A step's verdict, or `not_compared` when it has no A/B block (traditional mode, no program, a forced route). */
export type StepVerdict = Verdict | "not_compared";

/**
 * The one rule, read per step: the held-out verdict (FDR-controlled CI of Δ against 0); an online block's
 * always-valid confidence sequence against 0; a version-1 block's own CI. Every face counts from here.
 */
export function stepVerdict(step: StepReport): StepVerdict {
  const ab = step.ab;
  if (!ab) return "not_compared";
  if (ab.heldout) return ab.heldout.verdict;
  if (ab.n === 0 || ab.insufficient_data) return "needs_more_data";
  return verdictOf(ab.ci95, ab.n, 0);
}

export type VerdictCounts = Record<StepVerdict, number> & {
  /** Steps that failed, by workflow and name. */
  failed: string[];
  /** Steps in all, and those that did not run (skipped by a condition, or stopped early). */
  total: number;
  not_run: number;
};

/** How many steps of the reports got each verdict, and which failed. */
export function countVerdicts(reports: readonly RunReport[]): VerdictCounts {
  const counts: VerdictCounts = {
    better: 0,
    worse: 0,
    inconclusive: 0,
    needs_more_data: 0,
    not_compared: 0,
    failed: [],
    total: 0,
    not_run: 0,
  };
  for (const report of reports)
    for (const step of report.steps) {
      counts[stepVerdict(step)] += 1;
      counts.total += 1;
      if (step.status === "not_run" || step.status === "skipped") counts.not_run += 1;
      if (step.status === "failed")
        counts.failed.push(reports.length > 1 ? `${report.workflow}/${step.name}` : step.name);
    }
  return counts;
}
