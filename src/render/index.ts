/** Renders reports as the sticky PR comment / job summary, within GitHub's size limit. */
export {
  renderMarkdownReport,
  REPORT_MARKER,
  GITHUB_COMMENT_LIMIT,
  JOB_SUMMARY_LIMIT,
  type MarkdownOptions,
} from "./render-markdown.js";
/** Renders one report as the plain-text table `run` prints. */
export { renderTerminalReport } from "./render-terminal.js";
/** Makes untrusted text inert in markdown: inline cells, inline code, fenced blocks. */
export {
  escapeMarkdownInline,
  inlineCode,
  preformattedBlock,
  truncate,
} from "./escape-markdown.js";
/** A step's regressed examples (optimized failed, traditional passed) as a collapsed `<details>` block. */
export { regressionDetails } from "./render-regressions.js";
/** Merges sharded run reports (same workflow and file) into one, A/B statistics recomputed from the concatenated pairs. */
export { mergeReports, type MergeOptions } from "./merge-reports.js";
/** The "vs base" cell of a step row and the line on what the report was compared against. */
export { vsBaseCell, baselineLine, hasVsBase } from "./render-vs-base.js";
