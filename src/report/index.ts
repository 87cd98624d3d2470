/** The run report contract (JSON) and the types it is made of. */
export * from "./run-report.js";
/** Renders reports as the sticky PR comment / job summary, within GitHub's size limit. */
export {
  renderMarkdownReport,
  REPORT_MARKER,
  GITHUB_COMMENT_LIMIT,
  type MarkdownOptions,
} from "./render-markdown.js";
/** Renders one report as the plain-text table `run` prints. */
export { renderTerminalReport } from "./render-terminal.js";
/** Replaces secrets and credential-shaped tokens with `***`; everything leaving the process goes through it. */
export { redact, redactDeep, REDACTED } from "./redact.js";
/** Makes untrusted text inert in markdown (inline cells, fenced blocks). */
export { escapeMarkdownInline, preformattedBlock, truncate } from "./escape-markdown.js";
/** Validates untrusted JSON as a {@link RunReport}, with a problem line per mismatch. */
export { parseRunReport, type ParsedReport } from "./parse-report.js";
