import { describe, expect, it } from "vitest";
import { annotateProblems, type AnnotationProperties } from "../../src/action/annotations.js";
import type { Problem } from "../../src/config/index.js";

describe("annotateProblems", () => {
  it("puts errors and warnings at their file (relative to the workspace), line and column", () => {
    const seen: Array<[string, string, AnnotationProperties | undefined]> = [];
    const sink = {
      error: (message: string, properties?: AnnotationProperties) =>
        void seen.push(["error", message, properties]),
      warning: (message: string, properties?: AnnotationProperties) =>
        void seen.push(["warning", message, properties]),
    };
    const problems: Problem[] = [
      {
        code: "UNKNOWN_STEP_TYPE",
        severity: "error",
        file: "/repo/pipelines/a.yaml",
        line: 7,
        col: 13,
        message: "unknown step type 'claud'",
        hint: "did you mean `claude`?",
      },
      {
        code: "LENIENT_FORM",
        severity: "warning",
        file: "pipelines/b.yaml",
        line: 0,
        col: 0,
        message: "accepted a lenient form",
      },
    ];
    annotateProblems(problems, sink, "/repo");
    expect(seen).toEqual([
      [
        "error",
        "unknown step type 'claud' (did you mean `claude`?)",
        {
          title: "hybrid-pipeline: UNKNOWN_STEP_TYPE",
          file: "pipelines/a.yaml",
          startLine: 7,
          startColumn: 13,
        },
      ],
      [
        "warning",
        "accepted a lenient form",
        {
          title: "hybrid-pipeline: LENIENT_FORM",
          file: "pipelines/b.yaml",
          startLine: 1,
          startColumn: 1,
        },
      ],
    ]);
  });
});
