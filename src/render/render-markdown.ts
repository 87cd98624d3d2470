import { escapeMarkdownInline, preformattedBlock, truncate } from "./escape-markdown.js";
import {
  cacheLine,
  callsLine,
  formatCost,
  formatInterval,
  formatLatency,
  formatP,
  formatPercent,
  formatScore,
  formatSigned,
  routeLabel,
  stepRecommendation,
  verdict,
} from "./format-values.js";
import { renderQualityChart } from "./render-chart.js";
import { baselineLine, hasVsBase, vsBaseCell, withVsBaseColumn } from "./render-vs-base.js";
import type { OnlineEvidence, RunReport, StepReport } from "../report/index.js";

/** The hidden marker by which the sticky PR comment is found again. */
export const REPORT_MARKER = "<!-- hybrid-pipeline:report -->";

/** GitHub rejects issue comments longer than this (characters). */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  /** Prepend {@link REPORT_MARKER}. @default true */
  marker?: boolean;
  /** @default GITHUB_COMMENT_LIMIT */
  maxLength?: number;
  /** Lines shown under the tables, e.g. "provider: sim (fork PR without secrets)". Escaped. */
  notes?: string[];
  /** Characters of each sample output shown in the details. @default 1200 */
  sampleLength?: number;
}

const TABLE_HEADER = [
  "| step | route | quality trad → opt [95% CI of Δ] | Δ | p | n | latency p50 | cost | success | recommendation |",
  "|---|---|---|---|---|---|---|---|---|---|",
];

function abRow(step: StepReport): string[] {
  const ab = step.ab!;
  return [
    `${formatScore(ab.traditional.mean)} → ${formatScore(ab.optimized.mean)} ${formatInterval(ab.heldout?.ci_fdr ?? ab.ci95)}`,
    formatSigned(ab.delta),
    ab.source === "online"
      ? `${formatP(ab.p_value)} (always-valid)`
      : ab.heldout && ab.heldout.q_value !== null && ab.heldout.q_value !== ab.p_value
        ? `${formatP(ab.p_value)} (q ${formatP(ab.heldout.q_value)})`
        : formatP(ab.p_value),
    ab.source === "online"
      ? `${ab.n} online`
      : ab.heldout
        ? `${ab.n} ${ab.heldout.split === "cross_fit" ? "cross-fit" : ab.heldout.split}`
        : String(ab.n),
    `${formatLatency(ab.traditional.latency_ms)} → ${formatLatency(ab.optimized.latency_ms)}`,
    `${formatCost(ab.traditional.cost_usd)} → ${formatCost(ab.optimized.cost_usd)}`,
    `${formatPercent(ab.traditional.success_rate)} → ${formatPercent(ab.optimized.success_rate)}`,
  ];
}

function plainRow(step: StepReport): string[] {
  const m = step.metrics;
  const success =
    step.status === "success" || step.status === "fallback"
      ? "100%"
      : step.status === "failed"
        ? "0%"
        : "–";
  return [
    formatScore(m.quality),
    "–",
    "–",
    "–",
    formatLatency(m.latency_ms),
    formatCost(m.cost_usd),
    success,
  ];
}

function stepRow(step: StepReport): string {
  const cells = [
    escapeMarkdownInline(step.name),
    escapeMarkdownInline(routeLabel(step)),
    ...(step.ab ? abRow(step) : plainRow(step)),
    escapeMarkdownInline(stepRecommendation(step)),
  ];
  return `| ${cells.join(" | ")} |`;
}

/**
 * Under the table: where held-out numbers come from and how verdicts are controlled across steps
 * (the one rule: the CI of Δ against 0, p from the same paired t test; BH across the steps).
 */
function evidenceNote(report: RunReport): string[] {
  const fdr = report.fdr;
  if (!fdr) return [];
  const level = `${(fdr.level * 100).toFixed(fdr.level * 100 === Math.round(fdr.level * 100) ? 0 : 1)}%`;
  const across =
    fdr.m > 1
      ? ` Verdicts control the false discovery rate at ${fdr.alpha * 100}% across ${fdr.m} compared steps (Benjamini–Hochberg; q beside p); intervals at ${level} (false-coverage adjusted), so "better" ⇔ q ≤ ${fdr.alpha}.`
      : "";
  return [
    `<sub>Held-out evidence only (test split, or k-fold cross-fitting: each example scored by a program that never saw it). Better/worse: the CI of Δ (paired t) excludes 0.${across}</sub>`,
    "",
  ];
}

/** The "vs base" line as its own paragraph, when the report was compared with a base run. */
function baseline(report: RunReport): string[] {
  const line = baselineLine(report);
  return line === null ? [] : [line, ""];
}

function heading(report: RunReport): string {
  const simulated = report.simulated ? " (simulated)" : "";
  return `### hybrid-pipeline · ${escapeMarkdownInline(report.workflow)} · ${report.mode} — ${escapeMarkdownInline(verdict(report))}${simulated}`;
}

function footer(report: RunReport): string {
  const warnings = report.warnings.length ? ` · ${report.warnings.length} warning(s)` : "";
  const seed = report.seed === undefined ? "" : ` · seed ${report.seed}`;
  return `<sub>${escapeMarkdownInline(`${cacheLine(report)} · ${callsLine(report)} · provider ${report.provider}${seed}${warnings}`)}</sub>`;
}

/** Which scorer decided online, what it counted, and its always-valid statistics (labelled as such). */
function onlineLine(online: OnlineEvidence): string {
  const counted = `${online.distinct_inputs} distinct input(s), ${online.repeats_ignored} repeat(s) ignored`;
  const stats = online.always_valid
    ? ` · always-valid (mSPRT) p ${formatP(online.always_valid.p_value)}, ${Math.round((1 - online.always_valid.alpha) * 100)}% confidence sequence ${formatInterval(online.always_valid.confidence_sequence)}`
    : "";
  return `online scorer: ${online.scorer} (${online.scorer_detail}) · ${counted}${stats}`;
}

/** Untrusted text shown verbatim, cut to `max` characters with a line saying how much was cut. */
function sample(text: string, max: number): string[] {
  const length = [...text].length;
  const block = preformattedBlock(truncate(text, max));
  return length <= max
    ? ["", block]
    : [
        "",
        block,
        `<sub>cut: first ${(max - 1).toLocaleString("en-US")} of ${length.toLocaleString("en-US")} characters shown</sub>`,
      ];
}

/** The performance monitor's table: every execution of each step, per route (loops run a step many times). */
function performanceTable(report: RunReport): string[] {
  const rows = report.performance ?? [];
  if (rows.length === 0) return [];
  return [
    [
      "**Performance by step and route**",
      "",
      "| step | route | runs | success | latency p50 | latency p95 | tokens in → out | cost | quality |",
      "|---|---|---|---|---|---|---|---|---|",
      ...rows.map(
        (p) =>
          `| ${escapeMarkdownInline(p.step)} | ${p.route === "ab" ? "A/B" : p.route} | ${p.n} | ${formatPercent(p.success_rate)} | ${formatLatency(p.latency_p50_ms)} | ${formatLatency(p.latency_p95_ms)} | ${p.input_tokens} → ${p.output_tokens} | ${formatCost(p.cost_usd)} | ${formatScore(p.quality)} |`,
      ),
    ].join("\n"),
  ];
}

function samples(report: RunReport, sampleLength: number): string[] {
  return report.steps
    .filter((s) => s.output_preview || s.error || s.decision.reason)
    .map((s) => {
      const lines = [
        `**${escapeMarkdownInline(s.name)}** — ${escapeMarkdownInline(s.decision.reason)}`,
      ];
      if (s.ab) lines.push(`recommendation: ${escapeMarkdownInline(s.ab.recommendation_reason)}`);
      if (s.online) lines.push(escapeMarkdownInline(onlineLine(s.online)));
      const held = s.ab?.heldout;
      if (held?.pass_k) {
        const flaky = (held.per_example ?? []).filter((e) => e.flaky).map((e) => e.id);
        lines.push(
          escapeMarkdownInline(
            `${held.repeats} runs per example: pass^${held.repeats} ${formatScore(held.pass_k.traditional)} → ${formatScore(held.pass_k.optimized)}; flaky: ${flaky.length === 0 ? "none" : flaky.join(", ")}`,
          ),
        );
      }
      if (s.error) lines.push(...sample(s.error, sampleLength));
      if (s.output_preview) lines.push(...sample(s.output_preview, sampleLength));
      return lines.join("\n");
    });
}

/** Characters of one warning shown; warnings can quote model text. */
const WARNING_LENGTH = 500;

function warningLines(report: RunReport): string[] {
  return report.warnings.map(
    (w) => `- warning: ${escapeMarkdownInline(truncate(w, WARNING_LENGTH))}`,
  );
}

const SIMULATED_BANNER =
  "> [!NOTE]\n> **Simulated numbers.** These results come from the offline `sim` provider, a deterministic stand-in for a real model. They show the mechanics, not the quality of a real model. Set a provider key to measure for real.";

/**
 * Renders reports as the PR comment / job summary. Model text is escaped; the result never exceeds
 * `maxLength`: sample details are dropped first, then charts, warnings and table rows, each cut said in a note.
 */
export function renderMarkdownReport(reports: RunReport[], options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const sampleLength = options.sampleLength ?? 1200;
  const head = [
    ...((options.marker ?? true) ? [REPORT_MARKER] : []),
    ...(reports.some((r) => r.simulated) ? [SIMULATED_BANNER, ""] : []),
  ];
  const notes = (options.notes ?? []).map((n) => `> ${escapeMarkdownInline(n)}`);
  const sections = reports.map((report) => ({
    core: [
      heading(report),
      "",
      ...(hasVsBase(report) ? withVsBaseColumn(TABLE_HEADER) : TABLE_HEADER),
    ],
    rows: report.steps.map((s) =>
      hasVsBase(report) ? `${stepRow(s)} ${vsBaseCell(s)} |` : stepRow(s),
    ),
    cutRows: 0,
    tail: ["", ...evidenceNote(report), ...baseline(report), footer(report)],
    warnings: warningLines(report),
    chart: renderQualityChart(report),
    details: [...performanceTable(report), ...samples(report, sampleLength)],
  }));
  return fitToLimit(head, notes, sections, maxLength);
}

interface Section {
  core: string[];
  rows: string[];
  /** Rows dropped to fit the size limit; said in one row. */
  cutRows: number;
  tail: string[];
  warnings: string[];
  chart: string | null;
  details: string[];
}

const CUT_NOTE =
  "Details were cut to fit GitHub's 65,536-character comment limit; the full report is in the job summary and the report JSON.";

function assemble(head: string[], notes: string[], sections: Section[], cut: boolean): string {
  const body = sections.flatMap((s) => [
    ...s.core,
    ...s.rows,
    ...(s.cutRows ? [`| … ${s.cutRows} more steps not shown | | | | | | | | | |`] : []),
    ...s.tail,
    ...(s.warnings.length ? ["", ...s.warnings] : []),
    ...(s.chart ? ["", s.chart] : []),
    ...(s.details.length
      ? [
          "",
          "<details><summary>Routing decisions and sample outputs</summary>",
          "",
          s.details.join("\n\n"),
          "",
          "</details>",
        ]
      : []),
    "",
  ]);
  return [
    ...head,
    ...body,
    ...notes,
    ...(notes.length ? [""] : []),
    ...(cut ? [`> ${CUT_NOTE}`, ""] : []),
  ].join("\n");
}

/** The largest k in [0, n] for which fits(k) holds, given fits is monotone (true up to some k). */
function largestFitting(n: number, fits: (k: number) => boolean): number {
  let low = 0;
  let high = n;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Drops sample details, then charts, then warnings, then table rows (last section first) until the text fits. */
function fitToLimit(
  head: string[],
  notes: string[],
  sections: Section[],
  maxLength: number,
): string {
  const full = assemble(head, notes, sections, false);
  if (full.length <= maxLength) return full;
  const work = sections.map((s) => ({
    ...s,
    rows: [...s.rows],
    warnings: [...s.warnings],
    details: [...s.details],
  }));
  const fits = () => assemble(head, notes, work, true).length <= maxLength;
  const shrink = (section: Section, key: "rows" | "warnings" | "details") => {
    const all = section[key];
    const keep = largestFitting(all.length, (k) => {
      section[key] = all.slice(0, k);
      if (key === "rows") section.cutRows = all.length - k;
      return fits();
    });
    section[key] = all.slice(0, keep);
    if (key === "rows") section.cutRows = all.length - keep;
  };
  for (const section of [...work].reverse()) if (!fits()) shrink(section, "details");
  for (const section of [...work].reverse()) if (!fits()) section.chart = null;
  for (const section of [...work].reverse()) if (!fits()) shrink(section, "warnings");
  for (const section of [...work].reverse()) if (!fits()) shrink(section, "rows");
  const text = assemble(head, notes, work, true);
  return text.length <= maxLength
    ? text
    : `${text.slice(0, maxLength - 40)}\n\n> (report cut at the size limit)\n`;
}
