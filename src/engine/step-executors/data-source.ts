import { StepFailure, type ExecContext, type RawStep } from "../exec-context.js";
import { parseJsonObject } from "../step-results.js";
import { isRecord } from "../../report/index.js";

/**
 * Resolves a loop's `data_source` or a transform's `input_source`: a list as written, or a reference —
 * `previous_response:<step>[:<field>]`, `steps.<step>.<field>`, a variable name or any dotted path.
 * A reference that resolves to a JSON string is parsed. Throws {@link StepFailure} when it resolves
 * to nothing.
 */
export function resolveDataSource(
  step: RawStep,
  source: unknown,
  ctx: ExecContext,
  key: string,
): unknown {
  if (typeof source !== "string") return source;
  const value = ctx.templates.resolve(source.trim());
  if (value === undefined) {
    throw new StepFailure(
      `step '${step.name}': ${key} '${source}' resolves to nothing (no step result, variable or input by that name)`,
      "bad_data_source",
    );
  }
  if (typeof value === "string") return parseJsonObject(value) ?? value;
  return value;
}

/** The items of a loop source: a list as is, a map's values, anything else is an error. */
export function asItems(step: RawStep, value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRecord(value)) {
    for (const field of ["items", "data", "results", "files"]) {
      const items = value[field];
      if (Array.isArray(items)) return items;
    }
    return Object.values(value);
  }
  throw new StepFailure(
    `step '${step.name}': ${key} must be a list, got ${value === null ? "null" : typeof value}`,
    "bad_data_source",
  );
}
