import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { applyDefaults } from "./apply-defaults.js";
import { rewriteLenientForms } from "./lenient-forms.js";
import { decodeText, notTextMessage } from "./text-file.js";
import { pipelineExRejection } from "./pipeline-ex-loader.js";
import type { Problem } from "./problem.js";
import { checkPromptFiles } from "./files-check.js";
import { checkInlineInputs } from "./inputs-check.js";
import { checkReferences } from "./references-check.js";
import { checkAgainstSchema, type SchemaFinding } from "./schema-check.js";
import type { Workflow, WorkflowFile } from "./workflow-schema.js";
import { parseYamlSource, type DataPath, type YamlSource } from "./yaml-source.js";
import { isRecord } from "../report/index.js";

/** How to load a pipeline file. */
export interface LoadOptions {
  /**
   * Reproduce pipeline_ex's own loader exactly (outside its test environment): its verdict decides, and our
   * schema's findings become warnings. Otherwise (lenient) documented forms its loader rejects are accepted with
   * a warning each, and the schema decides.
   * @default false
   */
  strict?: boolean;
  /** Directory relative file paths are read from. @default process.cwd() */
  workdir?: string;
  /**
   * Answers whether a prompt file exists (relative to `workdir`); when given, missing prompt files are
   * problems. `loadWorkflowFile` fills it in with `checkFiles`. @default undefined (not checked)
   */
  fileExists?: (path: string) => boolean;
  /** `loadWorkflowFile` only: report prompt files that do not exist under `workdir`. @default false */
  checkFiles?: boolean;
}

/**
 * The outcome of loading a pipeline file; `workflow` has `defaults` merged (and, in lenient mode, documented forms
 * rewritten), `raw` is the data as written. `workflow` fits the schema except where a warning says otherwise.
 */
export type LoadResult =
  | { ok: true; workflow: Workflow; raw: WorkflowFile; warnings: Problem[]; file: string }
  | { ok: false; problems: Problem[]; warnings: Problem[]; file: string };

/** Keys of ours: schema findings under them are always errors. */
const ourKeys = new Set(["dspy_config", "hybrid_config", "execution_mode", "signature", "metric"]);
const byPosition = (a: Problem, b: Problem) => a.line - b.line || a.col - b.col;

/** Reads and loads a pipeline file; an unreadable file is a problem at 1:1, never a throw. */
export async function loadWorkflowFile(
  path: string,
  options: LoadOptions = {},
): Promise<LoadResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(options.workdir ?? process.cwd(), path));
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? "unknown error";
    const problem: Problem = {
      code: "UNREADABLE",
      severity: "error",
      file: path,
      line: 1,
      col: 1,
      message: `cannot read the file (${reason})`,
      hint: "check the path and that it is a readable file",
    };
    return { ok: false, problems: [problem], warnings: [], file: path };
  }
  const decoded = decodeText(bytes);
  if (decoded.kind !== "text") {
    const problem: Problem = {
      code: decoded.kind === "binary" ? "NOT_TEXT" : "NOT_UTF8",
      severity: "error",
      file: path,
      ...(decoded.kind === "binary" ? { line: 1, col: 1 } : bytePosition(bytes, decoded.offset)),
      message: notTextMessage(decoded),
      hint:
        decoded.kind === "binary"
          ? "give a pipeline YAML file"
          : "save the file as UTF-8 (pipeline_ex reads YAML as UTF-8)",
    };
    return { ok: false, problems: [problem], warnings: [], file: path };
  }
  const workdir = options.workdir ?? process.cwd();
  return loadWorkflowText(decoded.text, path, {
    ...options,
    ...(options.checkFiles ? { fileExists: (p: string) => existsSync(resolve(workdir, p)) } : {}),
  });
}

/** 1-based line and (byte) column of a byte offset. */
function bytePosition(bytes: Buffer, offset: number): { line: number; col: number } {
  const before = bytes.subarray(0, offset);
  let line = 1;
  for (const b of before) if (b === 0x0a) line++;
  return { line, col: offset - (before.lastIndexOf(0x0a) + 1) + 1 };
}

/** Loads pipeline YAML from `text`; `file` names it in problems. Pure: never throws on bad input. */
export function loadWorkflowText(
  text: string,
  file: string,
  options: LoadOptions = {},
): LoadResult {
  const parsed = parseYamlSource(text, file);
  if (parsed.kind === "failed") return { ok: false, problems: parsed.problems, warnings: [], file };
  const { source } = parsed;
  const problem: MakeProblem = (path, at, p) => ({
    code: p.code,
    severity: p.severity,
    file,
    ...source.positionOf(path, at),
    message: p.message,
    hint: p.hint,
  });
  const lenient = loadLenient(source, problem, options.fileExists);
  if (!options.strict) return lenient;
  const rejection = pipelineExRejection(source.data);
  const demoted = lenient.ok
    ? lenient.warnings
    : [...lenient.problems, ...lenient.warnings].map((p) => ({
        ...p,
        severity: "warning" as const,
      }));
  if (rejection) {
    const code = rejection.kind === "not_a_workflow" ? "NOT_A_WORKFLOW" : "PIPELINE_EX_REJECTS";
    const error = problem(rejection.path, rejection.at, {
      code,
      severity: "error",
      message: `pipeline_ex rejects this file: ${rejection.message}`,
      hint: rejection.hint,
    });
    return { ok: false, problems: [error], warnings: lenient.warnings, file };
  }
  if (lenient.ok) return lenient;
  const raw = source.data as WorkflowFile;
  return {
    ok: true,
    workflow: applyDefaults(raw.workflow),
    raw,
    warnings: demoted.sort(byPosition),
    file,
  };
}

type MakeProblem = (
  path: DataPath,
  at: "key" | "value",
  p: Pick<Problem, "code" | "severity" | "message" | "hint">,
) => Problem;

function loadLenient(
  source: YamlSource,
  problem: MakeProblem,
  fileExists: ((path: string) => boolean) | undefined,
): LoadResult {
  const { data, file } = source;
  if (!isRecord(data)) {
    const found = Array.isArray(data) ? "a list" : data === null ? "nothing" : `a ${typeof data}`;
    return {
      ok: false,
      problems: [
        problem([], "value", {
          code: "NOT_A_MAP",
          severity: "error",
          message: `the file holds ${found}, not a map`,
          hint: "a pipeline file is a map with a top-level `workflow:` key",
        }),
      ],
      warnings: [],
      file,
    };
  }
  if (!("workflow" in data)) {
    const keys = Object.keys(data);
    const hint = keys.includes("steps")
      ? "put `name:` and `steps:` under a top-level `workflow:` key"
      : "a pipeline file has a top-level `workflow:` key with `name` and `steps`";
    return {
      ok: false,
      problems: [
        problem([], "value", {
          code: "NOT_A_WORKFLOW",
          severity: "error",
          message: `not a pipeline_ex workflow: no top-level \`workflow:\` key (root keys: ${keys.join(", ") || "none"})`,
          hint,
        }),
      ],
      warnings: [],
      file,
    };
  }
  const copy = structuredClone(data);
  const rewrites = isRecord(copy["workflow"]) ? rewriteLenientForms(copy["workflow"]) : [];
  // Lenient mode never rejects what pipeline_ex (in its test environment, after the rewrites) accepts, except for
  // problems in our own keys, references and parse-level faults: other schema findings are warnings then.
  const loader = pipelineExRejection(copy, { testEnv: true });
  const demote = (f: SchemaFinding) =>
    f.code === "SCHEMA" &&
    loader === undefined &&
    !f.path.some((s) => typeof s === "string" && ourKeys.has(s));
  const findings = [
    ...rewrites.map((r) =>
      problem(r.path, "value", {
        code: "LENIENT_FORM",
        severity: "warning",
        message: r.message,
        hint: r.hint,
      }),
    ),
    ...checkAgainstSchema(copy).map((f) =>
      problem(f.path, f.at, { ...f, severity: demote(f) ? "warning" : f.severity }),
    ),
    ...(isRecord(copy["workflow"])
      ? [
          ...checkReferences(copy["workflow"]),
          ...checkInlineInputs(copy["workflow"]["steps"], ["workflow", "steps"]),
          ...(fileExists ? checkPromptFiles(copy["workflow"], fileExists) : []),
        ]
      : []
    ).map((f) => problem(f.path, "value", f)),
  ];
  if (loader && !findings.some((f) => f.severity === "error")) {
    findings.push(
      problem(loader.path, loader.at, {
        code: "PIPELINE_EX_REJECTS",
        severity: "error",
        message: `pipeline_ex rejects this file: ${loader.message}`,
        hint: loader.hint,
      }),
    );
  }
  const problems = findings.filter((p) => p.severity === "error").sort(byPosition);
  const warnings = findings.filter((p) => p.severity === "warning").sort(byPosition);
  if (problems.length > 0) return { ok: false, problems, warnings, file };
  const valid = copy as unknown as WorkflowFile;
  return {
    ok: true,
    workflow: applyDefaults(valid.workflow),
    raw: data as unknown as WorkflowFile,
    warnings,
    file,
  };
}
