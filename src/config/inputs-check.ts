import type { ReferenceFinding } from "./references-check.js";
import type { DataPath } from "./yaml-source.js";

type Map = Record<string, unknown>;
const isMap = (v: unknown): v is Map => typeof v === "object" && v !== null && !Array.isArray(v);

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const INPUT = /(?<![\w.])inputs\.([A-Za-z_]\w*)/g;

/** Every `{{… inputs.NAME …}}` under `value`, with the path of the string holding it. */
export function inputReferences(
  value: unknown,
  path: DataPath,
  into: Array<{ name: string; path: DataPath }> = [],
): Array<{ name: string; path: DataPath }> {
  if (typeof value === "string") {
    for (const placeholder of value.matchAll(PLACEHOLDER))
      for (const ref of placeholder[1]!.matchAll(INPUT)) into.push({ name: ref[1]!, path });
  } else if (Array.isArray(value)) value.forEach((v, i) => inputReferences(v, [...path, i], into));
  else if (isMap(value)) {
    for (const [k, v] of Object.entries(value)) {
      // A nested inline pipeline has inputs of its own: checkInlineInputs looks at it.
      if (k === "pipeline" && isMap(v)) continue;
      inputReferences(v, [...path, k], into);
    }
  }
  return into;
}

/**
 * `{{inputs.x}}` inside an inline nested pipeline (`type: pipeline` with `pipeline:`) must name a key of
 * that step's `inputs:`, the only place its inputs come from. (A top-level file's inputs come from
 * `run --input` or a parent pipeline, so they are checked by `run`, not here.)
 */
export function checkInlineInputs(steps: unknown, path: DataPath): ReferenceFinding[] {
  if (!Array.isArray(steps)) return [];
  return steps.flatMap((step, i): ReferenceFinding[] => {
    if (!isMap(step)) return [];
    const p = [...path, i];
    const nested = [
      ...checkInlineInputs(step["steps"], [...p, "steps"]),
      ...(isMap(step["pipeline"])
        ? checkInlineInputs(step["pipeline"]["steps"], [...p, "pipeline", "steps"])
        : []),
    ];
    if (step["type"] !== "pipeline" || !isMap(step["pipeline"])) return nested;
    const given = isMap(step["inputs"]) ? Object.keys(step["inputs"]) : [];
    const refs = inputReferences(step["pipeline"]["steps"], [...p, "pipeline", "steps"]);
    const unknown = refs
      .filter((r) => !given.includes(r.name))
      .map((r): ReferenceFinding => ({
        path: r.path,
        severity: "error",
        code: "UNKNOWN_INPUT",
        message: `{{inputs.${r.name}}} is not given by step '${String(step["name"])}' (its inputs: ${given.join(", ") || "none"})`,
        hint: `add '${r.name}' to that step's inputs:, or fix the name`,
      }));
    return [...unknown, ...nested];
  });
}
