import { FDR_ALPHA, type VerdictCounts } from "../report/index.js";

/** GitHub alert kinds the comment opens with (https://docs.github.com/en/get-started/writing-on-github/getting-started-with-writing-and-formatting-on-github/basic-writing-and-formatting-syntax#alerts). */
export type AlertKind = "CAUTION" | "TIP" | "NOTE";

/** CAUTION when a step is worse (than its own prompt, or than on the base branch) or failed, else TIP when one is better, else NOTE. */
export function alertKind(
  counts: VerdictCounts,
  vsBase: { worse: number } | null = null,
): AlertKind {
  if (counts.worse > 0 || counts.failed.length > 0 || (vsBase?.worse ?? 0) > 0) return "CAUTION";
  return counts.better > 0 ? "TIP" : "NOTE";
}

const steps = (n: number) => `${n} step${n === 1 ? "" : "s"}`;

/**
 * The verdict in one line, e.g. "2 steps better, 1 worse, 3 inconclusive (FDR 5%)", then what was not
 * decided and what failed: "· 1 needs more data · 1 not compared · failed: analyze". The false discovery
 * rate is controlled within each report (pipeline file), so several reports say "per pipeline".
 */
export function verdictLine(counts: VerdictCounts, reports = 1): string {
  const needs = counts.needs_more_data;
  const failed = counts.failed.length > 0 ? [`failed: ${counts.failed.join(", ")}`] : [];
  if (counts.better + counts.worse + counts.inconclusive + needs === 0) {
    const ran = counts.total - counts.not_run;
    return [`No step compared: ${ran} of ${steps(counts.total)} ran`, ...failed].join(" · ");
  }
  return [
    `${steps(counts.better)} better, ${counts.worse} worse, ${counts.inconclusive} inconclusive (FDR ${FDR_ALPHA * 100}%${reports > 1 ? " per pipeline" : ""})`,
    ...(needs > 0 ? [`${needs} need${needs === 1 ? "s" : ""} more data`] : []),
    ...(counts.not_compared > 0 ? [`${counts.not_compared} not compared`] : []),
    ...failed,
  ].join(" · ");
}
