import {
  cacheLine,
  callsLine,
  formatCost,
  formatInterval,
  formatLatency,
  formatP,
  formatScore,
  formatSigned,
  routeLabel,
  nextStep,
  stepRecommendation,
} from "./format-values.js";
import { verdictLine } from "./verdict-line.js";
import { countVerdicts, stepVerdict, type RunReport, type StepReport } from "../report/index.js";

const HEADER = [
  "step",
  "verdict",
  "Δ [CI]",
  "quality trad → opt",
  "p",
  "n",
  "latency/call",
  "cost/call",
  "route",
  "recommendation",
];

function cells(step: StepReport, mode: RunReport["mode"]): string[] {
  const ab = step.ab;
  const verdict = stepVerdict(step).replace(/_/g, " ");
  if (!ab || ab.n === 0) {
    const m = step.metrics;
    const cached = m.cached ? " (cached)" : "";
    return [
      step.name,
      verdict,
      "–",
      formatScore(m.quality),
      "–",
      ab?.heldout ? `${ab.heldout.n_labelled} labelled` : "–",
      `${formatLatency(m.latency_ms)}${cached}`,
      `${formatCost(m.cost_usd)}${cached}`,
      routeLabel(step, mode),
      [stepRecommendation(step), nextStep(step)].filter(Boolean).join(" · "),
    ];
  }
  const perCall = (total: number | null) => formatCost(total === null ? null : total / ab.n);
  return [
    step.name,
    verdict,
    `${formatSigned(ab.delta)} ${formatInterval(ab.heldout?.ci_fdr ?? ab.ci95)}`,
    `${formatScore(ab.traditional.mean)} → ${formatScore(ab.optimized.mean)}`,
    formatP(ab.p_value),
    String(ab.n),
    `${formatLatency(ab.traditional.latency_ms)} → ${formatLatency(ab.optimized.latency_ms)}`,
    `${perCall(ab.traditional.cost_usd)} → ${perCall(ab.optimized.cost_usd)}`,
    routeLabel(step, mode),
    [stepRecommendation(step), nextStep(step)].filter(Boolean).join(" · "),
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
  const rows = [HEADER, ...report.steps.map((s) => cells(s, report.mode))].map((row) =>
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
    `${report.workflow} · ${report.mode} — ${verdictLine(countVerdicts([report]))}${simulated}`,
    line(rows[0]!),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.slice(1).map(line),
    ...whyLines(report),
    `${cacheLine(report)} · ${callsLine(report)}`,
    "",
  ].join("\n");
}
