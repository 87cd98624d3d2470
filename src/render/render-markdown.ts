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
  stepRecommendationKey,
} from "./format-values.js";
import { nextStep } from "./format-values.js";
import { renderQualityChart } from "./render-chart.js";
import { regressionDetails } from "./render-regressions.js";
import { relativizePaths } from "./relative-paths.js";
import { docsLink, verdictDocsLink } from "./docs-links.js";
import { alertKind, verdictLine } from "./verdict-line.js";
import {
  countVerdicts,
  stepVerdict,
  type AbBlock,
  type OnlineEvidence,
  type RunReport,
  type StepReport,
  type StepVerdict,
} from "../report/index.js";
import { baselineLine, hasVsBase, vsBaseCell } from "./render-vs-base.js";

/** The hidden marker by which the sticky PR comment is found again. */
export const REPORT_MARKER = "<!-- hybrid-pipeline:report -->";

/** GitHub rejects issue comments longer than this (characters). */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** A job summary may hold 1 MiB per step (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#step-isolation-and-limits). */
export const JOB_SUMMARY_LIMIT = 1_000_000;

export interface MarkdownOptions {
  /** Prepend {@link REPORT_MARKER}. @default true */
  marker?: boolean;
  /** @default GITHUB_COMMENT_LIMIT */
  maxLength?: number;
  /** Lines shown under the tables, e.g. "provider: sim (fork PR without secrets)". Escaped. */
  notes?: string[];
  /** Characters of each sample output shown in the details. @default 1200 */
  sampleLength?: number;
  /** Absolute paths under this directory are shown relative to it (the Action's workspace, the CLI's cwd). */
  workspace?: string;
  /** Links under the verdict: the workflow run, the uploaded report JSON. */
  links?: { run?: string; artifact?: string };
}

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

/** p of the test behind the CI (q beside it when the FDR adjustment changed it), for the details. */
function pText(ab: AbBlock): string {
  if (ab.p_value === null) return "p –";
  if (ab.source === "online") return `always-valid p ${formatP(ab.p_value)}`;
  const q = ab.heldout?.q_value;
  return q !== null && q !== undefined && q !== ab.p_value
    ? `p ${formatP(ab.p_value)}, q ${formatP(q)}`
    : `p ${formatP(ab.p_value)}`;
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

function stepRow(step: StepReport, withBase: boolean): string {
  const [delta, ...evidence] = evidenceCells(step);
  const cells = [
    escapeMarkdownInline(step.name),
    VERDICT_TEXT[stepVerdict(step)],
    delta!,
    ...(withBase ? [vsBaseCell(step)] : []),
    ...evidence,
    escapeMarkdownInline(routeLabel(step)),
    recommendationCell(step),
  ];
  return `| ${cells.join(" | ")} |`;
}

const STATUS_NOTE: Partial<Record<RunReport["status"], string>> = {
  partial: " — partial: stopped early (budget or signal)",
  failed: " — failed",
};

/** The "vs base" line as its own paragraph, when the report was compared with a base run. */
function baseline(report: RunReport): string[] {
  const line = baselineLine(report);
  return line === null ? [] : [line, ""];
}

function heading(report: RunReport): string {
  return `### ${escapeMarkdownInline(report.workflow)} · ${report.mode} · ${escapeMarkdownInline(report.file)}${STATUS_NOTE[report.status] ?? ""}`;
}

/** Where the numbers come from and how verdicts are controlled across steps, in one line. */
function evidenceNote(report: RunReport): string[] {
  const fdr = report.fdr;
  if (!fdr || fdr.m === 0) return [];
  const level = `${Number((fdr.level * 100).toFixed(1))}%`;
  const across =
    fdr.m > 1
      ? ` Across ${fdr.m} compared steps the false discovery rate is held at ${fdr.alpha * 100}% (Benjamini–Hochberg; p and q in the details): intervals at ${level}.`
      : "";
  return [
    `<sub>Held-out evidence only: each example scored by a program that never saw it (test split or k-fold cross-fitting). Better/worse: the CI of Δ (paired t) excludes 0.${across} ${verdictDocsLink()}</sub>`,
    "",
  ];
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

/** The performance monitor's table: every execution of each step in this run, per route. */
function performanceTable(report: RunReport): string[] {
  const rows = report.performance ?? [];
  if (rows.length === 0) return [];
  return [
    [
      "**This run's executions by step and route** (latency and cost of the call that produced each answer, also when the cache served it)",
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

function armLine(ab: AbBlock): string {
  const validity = ab.heldout?.validity;
  const valid = validity
    ? `; readable answers ${formatPercent(validity.traditional)} → ${formatPercent(validity.optimized)}`
    : "";
  return `${pText(ab)}; success ${formatPercent(ab.traditional.success_rate)} → ${formatPercent(ab.optimized.success_rate)}${valid}; wins ${ab.wins}, losses ${ab.losses}, ties ${ab.ties} (${ab.metric})`;
}

function samples(report: RunReport, sampleLength: number): string[] {
  return report.steps
    .filter((s) => s.output_preview || s.error || s.decision.reason || s.ab)
    .map((s) => {
      const lines = [
        `**${escapeMarkdownInline(s.name)}** — ${escapeMarkdownInline(s.decision.reason)}`,
      ];
      if (s.ab) lines.push(`recommendation: ${escapeMarkdownInline(s.ab.recommendation_reason)}`);
      if (s.ab && s.ab.n > 0) lines.push(escapeMarkdownInline(armLine(s.ab)));
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

const SIMULATED_LINE =
  "Simulated numbers: the offline `sim` provider stands in for a real model, so they show the mechanics, not a model's quality. Set a provider key to measure for real.";

/** The first block: a GitHub alert whose kind follows the verdict, then the links. */
function verdictAlert(reports: RunReport[], options: MarkdownOptions): string[] {
  const counts = countVerdicts(reports);
  const lines = [
    `> [!${alertKind(counts)}]`,
    `> **${escapeMarkdownInline(verdictLine(counts, reports.length))}**`,
  ];
  if (reports.some((r) => r.simulated)) lines.push(`> ${SIMULATED_LINE}`);
  const links = [
    options.links?.run ? `[workflow run](${options.links.run})` : "",
    options.links?.artifact ? `[report JSON](${options.links.artifact})` : "",
    verdictDocsLink("how to read this"),
  ].filter(Boolean);
  lines.push(`> ${links.join(" · ")}`);
  return lines;
}

/**
 * Renders reports as the PR comment / job summary: the verdict first (a GitHub alert), then per report
 * a table whose every row carries its evidence. Model text is escaped; absolute paths under the
 * workspace are shown relative; the result never exceeds `maxLength`: sample details are dropped first,
 * then charts, warnings and table rows, each cut said in a note.
 */
export function renderMarkdownReport(input: RunReport[], options: MarkdownOptions = {}): string {
  const reports = options.workspace ? relativizePaths(input, options.workspace) : input;
  const maxLength = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const sampleLength = options.sampleLength ?? 1200;
  const head = [
    ...((options.marker ?? true) ? [REPORT_MARKER] : []),
    ...joinParagraphs(verdictAlert(reports, options)),
    "",
  ];
  const notes = (options.notes ?? []).map((n) => `> ${escapeMarkdownInline(n)}`);
  const sections = reports.map((report) => ({
    core: [heading(report), "", ...tableHeader(columnsOf(hasVsBase(report)))],
    rows: report.steps.map((s) => stepRow(s, hasVsBase(report))),
    width: columnsOf(hasVsBase(report)).length,
    cutRows: 0,
    tail: ["", ...evidenceNote(report), ...baseline(report), footer(report)],
    warnings: warningLines(report),
    chart: renderQualityChart(report),
    regressions: report.steps.map((s) => regressionDetails(s).join("\n")).filter(Boolean),
    details: [...samples(report, sampleLength), ...performanceTable(report)],
  }));
  return fitToLimit(head, notes, sections, maxLength);
}

/** Alert lines as separate paragraphs inside the blockquote (`>` between them), so each stays on its own line. */
function joinParagraphs(lines: string[]): string[] {
  const [kind, ...rest] = lines;
  return [kind!, ...rest.flatMap((line, i) => (i === 0 ? [line] : [">", line]))];
}

interface Section {
  core: string[];
  rows: string[];
  /** Rows dropped to fit the size limit; said in one row. */
  cutRows: number;
  /** Columns of the table (the cut row fills them all). */
  width: number;
  tail: string[];
  warnings: string[];
  chart: string | null;
  /** One collapsed block per step with regressed examples. */
  regressions: string[];
  details: string[];
}

const CUT_NOTE =
  "Details were cut to fit GitHub's 65,536-character comment limit; the full report is in the job summary and the report JSON.";

function cutRow(n: number, width: number): string {
  return `| … ${n} more steps not shown |${" |".repeat(width - 1)}`;
}

function assemble(head: string[], notes: string[], sections: Section[], cut: boolean): string {
  const body = sections.flatMap((s) => [
    ...s.core,
    ...s.rows,
    ...(s.cutRows ? [cutRow(s.cutRows, s.width)] : []),
    ...s.tail,
    ...(s.warnings.length ? ["", ...s.warnings] : []),
    ...(s.chart ? ["", s.chart] : []),
    ...(s.regressions.length ? ["", s.regressions.join("\n\n")] : []),
    ...(s.details.length
      ? [
          "",
          "<details><summary>Why each step took its route, sample outputs, this run's executions</summary>",
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

/** Drops sample details, then regressed examples, charts, warnings and table rows (last section first) until the text fits. */
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
    regressions: [...s.regressions],
    details: [...s.details],
  }));
  const fits = () => assemble(head, notes, work, true).length <= maxLength;
  const shrink = (section: Section, key: "rows" | "warnings" | "details" | "regressions") => {
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
  for (const section of [...work].reverse()) if (!fits()) shrink(section, "regressions");
  for (const section of [...work].reverse()) if (!fits()) section.chart = null;
  for (const section of [...work].reverse()) if (!fits()) shrink(section, "warnings");
  for (const section of [...work].reverse()) if (!fits()) shrink(section, "rows");
  const text = assemble(head, notes, work, true);
  return text.length <= maxLength
    ? text
    : `${text.slice(0, maxLength - 40)}\n\n> (report cut at the size limit)\n`;
}
