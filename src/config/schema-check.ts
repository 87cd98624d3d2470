import type { ErrorObject } from "ajv/dist/2020.js";
import { validatePipeline } from "./generated/pipeline-validator.js";
import type { ProblemCode } from "./problem.js";
import { closestMatch } from "./suggest.js";
import type { DataPath } from "./yaml-source.js";

/** A schema violation at a data path; the loader turns it into a positioned `Problem`. */
export interface SchemaFinding {
  path: DataPath;
  at: "key" | "value";
  severity: "error" | "warning";
  code: ProblemCode;
  message: string;
  hint: string;
}

type SchemaNode = Record<string, unknown>;

/**
 * Validates a pipeline file's data against the published schema; unknown keys come back as warnings.
 * The validator is precompiled by `npm run schema` (render-pipeline-validator.ts) with the ajv options these messages rely on.
 */
export function checkAgainstSchema(data: unknown): SchemaFinding[] {
  if (validatePipeline(data)) return [];
  const errors = validatePipeline.errors ?? [];
  const unions = errors.filter((e) => e.keyword === "anyOf").map((e) => `${e.schemaPath}/`);
  const enums = new Set(errors.filter((e) => e.keyword === "enum").map((e) => e.instancePath));
  return errors
    .filter((e) => !unions.some((u) => e.schemaPath.startsWith(u)))
    .filter((e) => !(e.keyword === "type" && enums.has(e.instancePath)))
    .map(toFinding);
}

function toPath(pointer: string): DataPath {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/** `workflow.steps[0].prompt`: how users read a path. */
export function displayPath(path: DataPath): string {
  return (
    path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("") ||
    "(root)"
  );
}

function shape(value: unknown): string {
  if (value === null || value === undefined) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string") return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return String(value);
}

function describe(schema: SchemaNode): string {
  if (Array.isArray(schema["enum"])) return `one of ${(schema["enum"] as unknown[]).join(", ")}`;
  const names: Record<string, string> = {
    string: "a string",
    number: "a number",
    integer: "a whole number",
    boolean: "true or false",
    object: "a map",
    array: "a list",
  };
  if (typeof schema["type"] === "string") return names[schema["type"]] ?? schema["type"];
  if (schema["$ref"] !== undefined || schema["oneOf"] !== undefined) return "a map";
  return "a value of another shape";
}

function toFinding(e: ErrorObject): SchemaFinding {
  const path = toPath(e.instancePath);
  const where = `\`${displayPath(path)}\``;
  const parent = (e.parentSchema ?? {}) as SchemaNode;
  const error = (
    message: string,
    hint: string,
    at: "key" | "value" = "value",
    p: DataPath = path,
  ): SchemaFinding => ({
    path: p,
    at,
    severity: "error",
    code: "SCHEMA",
    message,
    hint,
  });
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys((parent["properties"] as SchemaNode | undefined) ?? {});
      const guess = closestMatch(key, known);
      return {
        path: [...path, key],
        at: "key",
        severity: "warning",
        code: "UNKNOWN_KEY",
        message: `unknown key \`${key}\` in ${where}; it is ignored`,
        hint: guess ? `did you mean \`${guess}\`?` : `known keys here: ${known.join(", ")}`,
      };
    }
    case "required": {
      const key = String((e.params as { missingProperty: string }).missingProperty);
      return error(`${where} is missing the required key \`${key}\``, `add \`${key}:\``, "key");
    }
    case "enum": {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const guess = typeof e.data === "string" ? closestMatch(e.data, allowed) : undefined;
      return error(
        `${where} must be one of: ${allowed.join(", ")} (found ${shape(e.data)})`,
        guess ? `did you mean \`${guess}\`?` : "use one of the listed values",
      );
    }
    case "discriminator": {
      const tag = e.params as { error: string; tagValue?: unknown };
      const branches = ((parent["oneOf"] as SchemaNode[] | undefined) ?? []).map((b) =>
        String(((b["properties"] as SchemaNode)["type"] as SchemaNode)["const"]),
      );
      const isStep = branches.includes("claude");
      const kind = isStep ? "step type" : "prompt part type";
      if (tag.error !== "mapping")
        return error(
          `${where} needs a \`type\` (a string)`,
          `use one of: ${branches.join(", ")}`,
          "key",
        );
      const guess =
        typeof tag.tagValue === "string" ? closestMatch(tag.tagValue, branches) : undefined;
      return {
        path: [...path, "type"],
        at: "value",
        severity: "error",
        code: isStep ? "UNKNOWN_STEP_TYPE" : "SCHEMA",
        message: `unknown ${kind} ${shape(tag.tagValue)}`,
        hint: guess
          ? `did you mean \`${guess}\`? (known: ${branches.join(", ")})`
          : `use one of: ${branches.join(", ")}`,
      };
    }
    case "type":
      return error(
        `${where} must be ${describe(parent)} (found ${shape(e.data)})`,
        `write ${describe(parent)} here`,
      );
    case "anyOf": {
      const options = ((e.schema as SchemaNode[] | undefined) ?? []).map(describe);
      return error(
        `${where} must be ${options.join(" or ")} (found ${shape(e.data)})`,
        `write ${options.join(" or ")} here`,
      );
    }
    default:
      return error(
        `${where} ${e.message ?? "is invalid"} (found ${shape(e.data)})`,
        "see docs/configuration.md for this key",
      );
  }
}
