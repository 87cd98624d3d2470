import type { ProblemCode } from "./problem.js";
import { displayPath } from "./schema-check.js";
import { testOnlyStepTypes } from "./step-types.js";
import { closestMatch } from "./suggest.js";
import type { DataPath } from "./yaml-source.js";
import { isRecord } from "../report/index.js";

/** A cross-reference problem at a data path. */
export interface ReferenceFinding {
  path: DataPath;
  severity: "error" | "warning";
  code: ProblemCode;
  message: string;
  hint: string;
}

type Map = Record<string, unknown>;

/**
 * Checks what the schema cannot: `previous_response.step` names an existing top-level step, `functions` name
 * entries of `gemini_functions`, step names are unique, and step types are ones hybrid-pipeline can run.
 */
export function checkReferences(workflow: Map): ReferenceFinding[] {
  const findings: ReferenceFinding[] = [];
  const steps = Array.isArray(workflow["steps"]) ? workflow["steps"] : [];
  const names = steps
    .map((s) => (isRecord(s) ? s["name"] : undefined))
    .filter((n): n is string => typeof n === "string");
  const functions = isRecord(workflow["gemini_functions"])
    ? Object.keys(workflow["gemini_functions"])
    : [];
  const seen = new Set<string>();
  steps.forEach((step, i) => {
    if (!isRecord(step)) return;
    const p: DataPath = ["workflow", "steps", i];
    const name = step["name"];
    if (typeof name === "string") {
      if (seen.has(name))
        findings.push({
          path: [...p, "name"],
          severity: "warning",
          code: "DUPLICATE_STEP_NAME",
          message: `step name '${name}' is used twice; later references see only the last`,
          hint: "give each step a unique name",
        });
      seen.add(name);
    }
    checkPromptReferences(step["prompt"], [...p, "prompt"], names, findings);
    for (const key of ["parallel_tasks", "tasks"]) {
      const tasks = step[key];
      if (Array.isArray(tasks))
        tasks.forEach(
          (t, j) =>
            isRecord(t) &&
            checkPromptReferences(t["prompt"], [...p, key, j, "prompt"], names, findings),
        );
    }
    checkFunctions(step["functions"], [...p, "functions"], functions, findings);
  });
  checkStepTypes(workflow["steps"], ["workflow", "steps"], findings);
  return findings;
}

function checkPromptReferences(
  prompt: unknown,
  path: DataPath,
  names: string[],
  findings: ReferenceFinding[],
): void {
  if (!Array.isArray(prompt)) return;
  prompt.forEach((part, i) => {
    if (!isRecord(part) || part["type"] !== "previous_response" || typeof part["step"] !== "string")
      return;
    const target = part["step"];
    if (names.includes(target)) return;
    const guess = closestMatch(target, names);
    findings.push({
      path: [...path, i, "step"],
      severity: "error",
      code: "DANGLING_REFERENCE",
      message: `previous_response refers to step '${target}', which does not exist`,
      hint: guess
        ? `did you mean '${guess}'?`
        : `name one of the top-level steps: ${names.join(", ")}`,
    });
  });
}

function checkFunctions(
  list: unknown,
  path: DataPath,
  defined: string[],
  findings: ReferenceFinding[],
): void {
  if (!Array.isArray(list)) return;
  list.forEach((fn, i) => {
    if (typeof fn !== "string" || defined.includes(fn)) return;
    const guess = closestMatch(fn, defined);
    findings.push({
      path: [...path, i],
      severity: "error",
      code: "UNDEFINED_FUNCTION",
      message: `function '${fn}' is not defined in \`workflow.gemini_functions\``,
      hint: guess
        ? `did you mean '${guess}'?`
        : `define it under gemini_functions (with description and parameters)`,
    });
  });
}

function checkStepTypes(steps: unknown, path: DataPath, findings: ReferenceFinding[]): void {
  if (!Array.isArray(steps)) return;
  steps.forEach((step, i) => {
    if (!isRecord(step)) return;
    const p = [...path, i];
    const type = step["type"];
    if ((testOnlyStepTypes as readonly string[]).includes(String(type))) {
      findings.push({
        path: [...p, "type"],
        severity: "warning",
        code: "TEST_ONLY_STEP_TYPE",
        message: `step type '${String(type)}' runs only in pipeline_ex's test environment (${displayPath(p)})`,
        hint: "pipeline_ex rejects it outside its tests; `validate --strict` reports it as an error",
      });
    }
    checkStepTypes(step["steps"], [...p, "steps"], findings);
    if (isRecord(step["pipeline"]))
      checkStepTypes(step["pipeline"]["steps"], [...p, "pipeline", "steps"], findings);
  });
}
