import { escapeMarkdownInline } from "./escape-markdown.js";
import {
  formatCost,
  formatInterval,
  formatLatency,
  formatScore,
  formatSigned,
  nextStep,
  routeLabel,
  stepRecommendationKey,
} from "./format-values.js";
import { docsLink } from "./docs-links.js";
import { hasVsBase, vsBaseCell } from "./render-vs-base.js";
import {
  stepVerdict,
  type AbBlock,
  type RunReport,
  type StepReport,
  type StepVerdict,
} from "../report/index.js";

const COLUMNS = [
  "step",
  "verdict",
  "Δ opt − trad [CI]",
  "quality trad → opt",
  "n",
  "latency/call trad → opt",
  "cost/call trad → opt",
  "route",
  "recommendation",
];

/** The columns of a report's table: "vs base" after Δ when the report was compared with a base run. */
function columnsOf(withBase: boolean): string[] {
  return withBase ? [...COLUMNS.slice(0, 3), "vs base", ...COLUMNS.slice(3)] : COLUMNS;
}

function tableHeader(columns: readonly string[]): string[] {
  return [`| ${columns.join(" | ")} |`, `|${"---|".repeat(columns.length)}`];
}

const VERDICT_TEXT: Record<StepVerdict, string> = {
  better: "**better**",
  worse: "**worse**",
  inconclusive: "inconclusive",
  needs_more_data: "needs more data",
  not_compared: "not compared",
};

/** The interval the verdict read: FDR-adjusted for held-out evidence, the always-valid sequence online. */
function deltaCell(ab: AbBlock): string {
  const ci = ab.heldout?.ci_fdr ?? ab.ci95;
  const online = ab.source === "online" ? " always-valid" : "";
  return `${formatSigned(ab.delta)} ${formatInterval(ci)}${online}`;
}

function nCell(ab: AbBlock): string {
  const held = ab.heldout;
  if (ab.source === "online") return `${ab.n} online`;
  if (!held) return String(ab.n);
  if (held.split === "none") return `${held.n_labelled} labelled (< ${held.min_labelled})`;
  return `${ab.n} ${held.split === "cross_fit" ? "cross-fit" : "test"}`;
}

/** Per call of each variant: p50 latency, and the arm's total cost over its n calls divided by n. */
function perCall(ab: AbBlock): { latency: string; cost: string } {
  const cost = (total: number | null) => (total === null ? null : ab.n > 0 ? total / ab.n : 0);
  return {
    latency: `${formatLatency(ab.traditional.latency_ms)} → ${formatLatency(ab.optimized.latency_ms)}`,
    cost: `${formatCost(cost(ab.traditional.cost_usd))} → ${formatCost(cost(ab.optimized.cost_usd))}`,
  };
}

function evidenceCells(step: StepReport): string[] {
  const ab = step.ab;
  if (!ab || ab.n === 0) {
    const m = step.metrics;
    const cached = m.cached ? " (cached)" : "";
    return [
      "–",
      formatScore(m.quality),
      ab ? nCell(ab) : "–",
      `${formatLatency(m.latency_ms)}${cached}`,
      `${formatCost(m.cost_usd)}${cached}`,
    ];
  }
  const { latency, cost } = perCall(ab);
  return [
    deltaCell(ab),
    `${formatScore(ab.traditional.mean)} → ${formatScore(ab.optimized.mean)}`,
    nCell(ab),
    latency,
    cost,
  ];
}

function recommendationCell(step: StepReport): string {
  const key = stepRecommendationKey(step);
  const next = nextStep(step);
  return key ? `${docsLink(key)}${next ? ` · ${next}` : ""}` : "–";
}

function stepRow(step: StepReport, withBase: boolean, mode: RunReport["mode"]): string {
  const [delta, ...evidence] = evidenceCells(step);
  const cells = [
    escapeMarkdownInline(step.name),
    VERDICT_TEXT[stepVerdict(step)],
    delta!,
    ...(withBase ? [vsBaseCell(step)] : []),
    ...evidence,
    escapeMarkdownInline(routeLabel(step, mode)),
    recommendationCell(step),
  ];
  return `| ${cells.join(" | ")} |`;
}

/** The row that stands for the steps cut to fit the size limit. */
export function cutRow(n: number, width: number): string {
  return `| … ${n} more steps not shown |${" |".repeat(width - 1)}`;
}

/** A report's step table: header lines, one row per step, and its column count. */
export function stepTable(report: RunReport): { header: string[]; rows: string[]; width: number } {
  const withBase = hasVsBase(report);
  const columns = columnsOf(withBase);
  return {
    header: tableHeader(columns),
    rows: report.steps.map((s) => stepRow(s, withBase, report.mode)),
    width: columns.length,
  };
}
