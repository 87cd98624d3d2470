import type { FingerprintPart, RunReport, StepReport } from "../report/index.js";
import { escapeMarkdownInline, truncate } from "./escape-markdown.js";
import { formatInterval, formatSigned } from "./format-values.js";

/** Characters of a not-comparable reason kept in a table cell (the report JSON has it whole). */
const REASON_LENGTH = 60;

const partNames: Record<FingerprintPart, string> = {
  prompt: "prompt",
  signature: "signature",
  training_data: "training data",
  program: "program",
};

const routeName = (route: string): string => (route === "ab" ? "A/B" : route);

/** "prompt, training data changed", or null when nothing changed. */
function changedText(changed: readonly FingerprintPart[] | undefined): string | null {
  return changed && changed.length > 0
    ? `${changed.map((p) => partNames[p]).join(", ")} changed`
    : null;
}

/**
 * A step's "vs base" table cell (markdown, escaped): Δ against the base run with its 95% CI, the routes
 * when they differ, and what this change touched: `+0.12 [+0.02, +0.22] · prompt changed`; or why it
 * is not comparable: `— not comparable: base ran on sim, this run on anthropic`; `–` without one.
 */
export function vsBaseCell(step: StepReport): string {
  const vs = step.vs_base;
  if (!vs) return "–";
  const changed = changedText(vs.changed);
  if (!vs.comparable)
    return escapeMarkdownInline(
      `— not comparable: ${truncate(vs.reason, REASON_LENGTH)}${changed ? ` · ${changed}` : ""}`,
    );
  const routes =
    vs.route_now === vs.route_base
      ? null
      : `${routeName(vs.route_base)} → ${routeName(vs.route_now)}`;
  const notes = [routes, changed].filter((t): t is string => t !== null);
  const verdict = vs.verdict === "better" || vs.verdict === "worse" ? ` **${vs.verdict}**` : "";
  return [
    `${formatSigned(vs.delta)} ${formatInterval(vs.ci_fdr ?? vs.ci95)}${verdict}`,
    ...notes.map(escapeMarkdownInline),
  ].join(" · ");
}

/** Whether a report's table gets the "vs base" column: some step was compared (or could not be). */
export function hasVsBase(report: RunReport): boolean {
  return report.steps.some((s) => s.vs_base !== undefined);
}

/**
 * The line under a report's table on what "vs base" compared against, or why nothing was compared (no
 * baseline yet, cache unavailable, a report too old). Escaped markdown; null when the run was not compared.
 */
export function baselineLine(report: RunReport): string | null {
  const base = report.baseline;
  if (!base) return null;
  if (base.note !== null) return escapeMarkdownInline(`vs base: ${base.note}`);
  const sha = base.sha ? ` @ ${base.sha.slice(0, 7)}` : "";
  const from = [
    base.schema_version === null ? null : `report v${base.schema_version}`,
    base.provider,
  ].filter((t): t is string => t !== null);
  return escapeMarkdownInline(
    `vs base: against the latest run saved on ${base.branch}${sha}${from.length ? ` (${from.join(", ")})` : ""}; Δ = quality of the variant each step routes to now − the base run's, paired by held-out example (paired t).`,
  );
}

/** How the steps compare with the base run, counted by the vs-base verdict (FDR-controlled). */
export interface VsBaseCounts {
  better: number;
  worse: number;
  inconclusive: number;
  /** Steps with a vs-base cell that could not be compared. */
  not_comparable: number;
  /** The base branches compared against (one, unless reports came from different bases). */
  branches: string[];
}

export function countVsBase(reports: readonly RunReport[]): VsBaseCounts | null {
  const counts: VsBaseCounts = {
    better: 0,
    worse: 0,
    inconclusive: 0,
    not_comparable: 0,
    branches: [],
  };
  for (const report of reports)
    for (const step of report.steps) {
      const vs = step.vs_base;
      if (!vs) continue;
      if (!vs.comparable) counts.not_comparable += 1;
      else counts[vs.verdict ?? "inconclusive"] += 1;
      const branch = report.baseline?.branch;
      if (branch && !counts.branches.includes(branch)) counts.branches.push(branch);
    }
  const any = counts.better + counts.worse + counts.inconclusive + counts.not_comparable;
  return any === 0 ? null : counts;
}

/** "vs main: 1 step worse, 0 better, 2 within noise (FDR 5%) · 1 not comparable". */
export function vsBaseSummary(counts: VsBaseCounts): string {
  const steps = (n: number) => `${n} step${n === 1 ? "" : "s"}`;
  const parts =
    counts.better + counts.worse + counts.inconclusive > 0
      ? [
          `${steps(counts.worse)} worse, ${counts.better} better, ${counts.inconclusive} within noise (FDR 5%)`,
        ]
      : [];
  if (counts.not_comparable > 0) parts.push(`${counts.not_comparable} not comparable`);
  return `vs ${counts.branches.join(", ")}: ${parts.join(" · ")}`;
}
