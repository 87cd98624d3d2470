/** What kind of problem a `Problem` reports. */
export type ProblemCode =
  | "UNREADABLE"
  | "NOT_TEXT"
  | "NOT_UTF8"
  | "MISSING_FILE"
  | "UNKNOWN_INPUT"
  | "TRAINING_DATA"
  | "YAML_SYNTAX"
  | "DUPLICATE_KEY"
  | "MULTI_DOCUMENT"
  | "NOT_A_MAP"
  | "NOT_A_WORKFLOW"
  | "SCHEMA"
  | "UNKNOWN_KEY"
  | "UNKNOWN_STEP_TYPE"
  | "TEST_ONLY_STEP_TYPE"
  | "DANGLING_REFERENCE"
  | "UNDEFINED_FUNCTION"
  | "DUPLICATE_STEP_NAME"
  | "LENIENT_FORM"
  | "PIPELINE_EX_REJECTS"
  /** A committed program (`.hybrid-pipeline/programs/`) whose inputs changed, or that cannot be read. */
  | "STALE_PROGRAM";

/** One problem found in a pipeline file, where it is (1-based line and column) and what to do. */
export interface Problem {
  code: ProblemCode;
  severity: "error" | "warning";
  file: string;
  line: number;
  col: number;
  message: string;
  hint?: string;
}

/** `path:line:col: error: message (hint)`. */
export function formatProblem(p: Problem): string {
  const hint = p.hint ? ` (${p.hint})` : "";
  return `${p.file}:${p.line}:${p.col}: ${p.severity}: ${p.message}${hint}`;
}
