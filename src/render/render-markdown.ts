import { escapeMarkdownInline, truncate } from "./escape-markdown.js";
import { cacheLine, callsLine } from "./format-values.js";
import { verdictDocsLink } from "./docs-links.js";
import { fitToLimit, type Section } from "./fit-to-limit.js";
import { relativizePaths } from "./relative-paths.js";
import { renderQualityChart } from "./render-chart.js";
import { regressionDetails } from "./render-regressions.js";
import { performanceTable, stepDetails } from "./render-step-details.js";
import { stepTable } from "./render-step-table.js";
import { baselineLine, countVsBase, vsBaseSummary } from "./render-vs-base.js";
import { alertKind, verdictLine } from "./verdict-line.js";
import { countVerdicts, type RunReport } from "../report/index.js";

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
  const vsBase = countVsBase(reports);
  const lines = [
    `> [!${alertKind(counts, vsBase)}]`,
    `> **${escapeMarkdownInline(verdictLine(counts, reports.length))}**`,
  ];
  if (vsBase) lines.push(`> **${escapeMarkdownInline(vsBaseSummary(vsBase))}**`);
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
  const sections = reports.map((report) => sectionOf(report, sampleLength));
  return fitToLimit(head, notes, sections, maxLength);
}

function sectionOf(report: RunReport, sampleLength: number): Section {
  const table = stepTable(report);
  return {
    core: [heading(report), "", ...table.header],
    rows: table.rows,
    width: table.width,
    cutRows: 0,
    tail: ["", ...evidenceNote(report), ...baseline(report), footer(report)],
    warnings: warningLines(report),
    chart: renderQualityChart(report),
    regressions: report.steps.map((s) => regressionDetails(s).join("\n")).filter(Boolean),
    details: [...stepDetails(report, sampleLength), ...performanceTable(report)],
  };
}

/** Alert lines as separate paragraphs inside the blockquote (`>` between them), so each stays on its own line. */
function joinParagraphs(lines: string[]): string[] {
  const [kind, ...rest] = lines;
  return [kind!, ...rest.flatMap((line, i) => (i === 0 ? [line] : [">", line]))];
}
