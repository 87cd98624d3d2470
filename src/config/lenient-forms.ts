import type { DataPath } from "./yaml-source.js";
import { isRecord } from "../report/index.js";

/** A documented form pipeline_ex's loader rejects or ignores, rewritten to the canonical one. */
export interface LenientRewrite {
  path: DataPath;
  message: string;
  hint: string;
}

type Map = Record<string, unknown>;

/**
 * Rewrites, in place, forms pipeline_ex documents but its loader rejects: string prompts become one `static` part,
 * singular `variable`/`value` become `variables`; `steps.x.y` in conditions is reported (pipeline_ex reads `x.y`).
 * Walks top-level steps, loop bodies, inline pipelines and tasks.
 */
export function rewriteLenientForms(workflow: Map): LenientRewrite[] {
  const rewrites: LenientRewrite[] = [];
  walkSteps(workflow["steps"], ["workflow", "steps"], rewrites);
  return rewrites;
}

function walkSteps(steps: unknown, path: DataPath, rewrites: LenientRewrite[]): void {
  if (!Array.isArray(steps)) return;
  steps.forEach((step, i) => {
    if (!isRecord(step)) return;
    const p = [...path, i];
    rewritePrompt(step, p, rewrites);
    rewriteVariable(step, p, rewrites);
    checkCondition(step["condition"], [...p, "condition"], rewrites);
    for (const key of ["parallel_tasks", "tasks"]) {
      const tasks = step[key];
      if (Array.isArray(tasks))
        tasks.forEach((task, j) => isRecord(task) && rewritePrompt(task, [...p, key, j], rewrites));
    }
    walkSteps(step["steps"], [...p, "steps"], rewrites);
    const inline = step["pipeline"];
    if (isRecord(inline)) walkSteps(inline["steps"], [...p, "pipeline", "steps"], rewrites);
  });
}

function rewritePrompt(owner: Map, path: DataPath, rewrites: LenientRewrite[]): void {
  const prompt = owner["prompt"];
  if (typeof prompt !== "string") return;
  owner["prompt"] = [{ type: "static", content: prompt }];
  rewrites.push({
    path: [...path, "prompt"],
    message:
      "prompt is a plain string; pipeline_ex's loader rejects it (read here as one static part)",
    hint: "write it as a list: prompt: [{type: static, content: ...}]",
  });
}

function rewriteVariable(step: Map, path: DataPath, rewrites: LenientRewrite[]): void {
  if (
    step["type"] !== "set_variable" ||
    typeof step["variable"] !== "string" ||
    step["variables"] !== undefined
  )
    return;
  step["variables"] = { [step["variable"]]: step["value"] ?? null };
  delete step["variable"];
  delete step["value"];
  rewrites.push({
    path: [...path, "variable"],
    message: "set_variable uses singular `variable`/`value` (read here as `variables`)",
    hint: "write `variables: {name: value}`, the documented form",
  });
}

function checkCondition(condition: unknown, path: DataPath, rewrites: LenientRewrite[]): void {
  if (typeof condition === "string" && /(^|[^\w.{])steps\.\w+\.\w+/.test(condition)) {
    rewrites.push({
      path,
      message:
        "condition refers to `steps.<name>.<field>`; pipeline_ex's condition engine reads `<name>.<field>`",
      hint: "drop the `steps.` prefix so pipeline_ex evaluates it the same way",
    });
  } else if (Array.isArray(condition)) {
    condition.forEach((c, i) => checkCondition(c, [...path, i], rewrites));
  } else if (isRecord(condition)) {
    for (const key of ["and", "or", "not"])
      if (key in condition) checkCondition(condition[key], [...path, key], rewrites);
  }
}
