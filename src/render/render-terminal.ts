import {
  cacheLine,
  callsLine,
  formatCost,
  formatInterval,
  formatLatency,
  formatP,
  formatScore,
  routeLabel,
  stepRecommendation,
  verdict,
} from "./format-values.js";
import type { RunReport, StepReport } from "../report/index.js";

const HEADER = [
  "step",
  "route",
  "quality trad → opt",
  "95% CI of Δ",
  "p",
  "n",
  "latency",
  "cost",
  "recommendation",
];

function cells(step: StepReport): string[] {
  const ab = step.ab;
  if (!ab) {
    const m = step.metrics;
    return [
      step.name,
      routeLabel(step),
      formatScore(m.quality),
      "–",
      "–",
      "–",
      formatLatency(m.latency_ms),
      formatCost(m.cost_usd),
      stepRecommendation(step),
    ];
  }
  return [
    step.name,
    routeLabel(step),
    `${formatScore(ab.traditional.mean)} → ${formatScore(ab.optimized.mean)}`,
    formatInterval(ab.ci95),
    formatP(ab.p_value),
    String(ab.n),
    `${formatLatency(ab.traditional.latency_ms)} → ${formatLatency(ab.optimized.latency_ms)}`,
    `${formatCost(ab.traditional.cost_usd)} → ${formatCost(ab.optimized.cost_usd)}`,
    stepRecommendation(step),
  ];
}

/** Why each step took its route (every step outside traditional mode; fallbacks always). */
function whyLines(report: RunReport): string[] {
  const explained = report.steps.filter(
    (s) =>
      s.fallback ||
      (report.mode !== "traditional" && s.status !== "not_run" && s.status !== "skipped"),
  );
  if (explained.length === 0) return [];
  return [
    "why:",
    ...explained.map((s) =>
      `  ${s.name}: ${s.decision.reason}`.replace(/[\u0000-\u001f\u007f]/g, " "),
    ),
  ];
}

/** A plain-text table of one report for the terminal (what `run` prints at the end). Control characters are stripped. */
export function renderTerminalReport(report: RunReport): string {
  const rows = [HEADER, ...report.steps.map(cells)].map((row) =>
    row.map((c) => c.replace(/[\u0000-\u001f\u007f]/g, " ")),
  );
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const line = (row: string[]) =>
    row
      .map((c, i) => c + " ".repeat(widths[i]! - [...c].length))
      .join("  ")
      .trimEnd();
  const simulated = report.simulated ? " (simulated: offline sim provider)" : "";
  return [
    `${report.workflow} · ${report.mode} — ${verdict(report)}${simulated}`,
    line(rows[0]!),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.slice(1).map(line),
    ...whyLines(report),
    `${cacheLine(report)} · ${callsLine(report)}`,
    "",
  ].join("\n");
}
