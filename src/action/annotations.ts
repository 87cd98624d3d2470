import type { Problem } from "../config/index.js";

/** Where `core.error`/`core.warning` put an annotation (the runner shows it on the file's line in the PR diff). */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

/** The slice of `@actions/core` that writes annotations. */
export interface AnnotationSink {
  error(message: string, properties?: AnnotationProperties): void;
  warning(message: string, properties?: AnnotationProperties): void;
}

/**
 * Turns each problem into an annotation at its file, line and column. `file` must be relative to the
 * repository root for GitHub to place it in the diff, so absolute paths are made relative to `workspace`.
 * https://docs.github.com/actions/reference/workflow-commands-for-github-actions#setting-an-error-message
 */
export function annotateProblems(
  problems: readonly Problem[],
  sink: AnnotationSink,
  workspace: string,
): void {
  for (const problem of problems) {
    const hint = problem.hint ? ` (${problem.hint})` : "";
    const properties: AnnotationProperties = {
      title: `hybrid-pipeline: ${problem.code}`,
      file: relativeTo(workspace, problem.file),
      startLine: Math.max(1, problem.line),
      startColumn: Math.max(1, problem.col),
    };
    if (problem.severity === "error") sink.error(`${problem.message}${hint}`, properties);
    else sink.warning(`${problem.message}${hint}`, properties);
  }
}

function relativeTo(workspace: string, file: string): string {
  const root = workspace.endsWith("/") ? workspace : `${workspace}/`;
  return file.startsWith(root) ? file.slice(root.length) : file;
}
