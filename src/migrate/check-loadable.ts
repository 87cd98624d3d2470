import { loadWorkflowText, type Problem } from "../config/index.js";
import type { RefusalCode } from "./migration-outcome.js";

/** Why a file cannot be migrated as it stands, or `undefined` when both loaders accept it. */
export interface LoadRefusal {
  code: RefusalCode;
  reason: string;
}

const notAWorkflow = new Set<Problem["code"]>(["NOT_A_MAP", "NOT_A_WORKFLOW"]);

/** `line:col: message (hint)` of the first problem, and how many more there are. */
function describe(problems: Problem[]): string {
  const first = problems[0]!;
  const hint = first.hint ? ` (${first.hint})` : "";
  const more =
    problems.length > 1
      ? `; and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""}`
      : "";
  return `${first.line}:${first.col}: ${first.message}${hint}${more}`;
}

/**
 * Runs the config layer's loaders over `text`: it must load leniently (hybrid-pipeline can run it) and strictly
 * (pipeline_ex's own loader accepts it outside its test environment), so that migration never adds settings to a
 * file that is already broken. YAML errors, duplicate keys, several documents, a non-map root and a missing
 * `workflow:` key all surface here with their position.
 */
export function checkLoadable(text: string, file: string): LoadRefusal | undefined {
  const lenient = loadWorkflowText(text, file);
  if (!lenient.ok) {
    const code = lenient.problems.some((p) => notAWorkflow.has(p.code))
      ? "not_a_workflow"
      : "invalid";
    return { code, reason: describe(lenient.problems) };
  }
  const strict = loadWorkflowText(text, file, { strict: true });
  if (!strict.ok) return { code: "invalid", reason: describe(strict.problems) };
  return undefined;
}
