import type { SignatureField } from "../config/index.js";
import { snakeCase, type UniqueNames } from "./field-names.js";
import { isRecord } from "../report/index.js";

type FieldType = NonNullable<SignatureField["type"]>;

const jsonSchemaTypes: Record<string, FieldType> = {
  string: "string",
  number: "number",
  integer: "number",
  boolean: "boolean",
  array: "list",
  object: "object",
};

function fieldFromProperty(property: string, spec: unknown, names: UniqueNames): SignatureField {
  const schema = isRecord(spec) ? spec : {};
  const description =
    typeof schema["description"] === "string"
      ? schema["description"]
      : `\`${property}\` of the step's structured output.`;
  const options =
    Array.isArray(schema["enum"]) && schema["enum"].every((v) => typeof v === "string")
      ? (schema["enum"] as string[])
      : undefined;
  if (options && options.length > 0)
    return {
      name: names.claim(snakeCase(property, "output")),
      type: "literal",
      description,
      options,
    };
  const type =
    typeof schema["type"] === "string" ? (jsonSchemaTypes[schema["type"]] ?? "json") : "json";
  return { name: names.claim(snakeCase(property, "output")), type, description };
}

/** The JSON Schema describing the step's output: `output_schema`, or `schema` of a `gemini_instructor` step. */
function outputSchemaOf(step: Record<string, unknown>): Record<string, unknown> | undefined {
  const schema =
    step["output_schema"] ?? (step["type"] === "gemini_instructor" ? step["schema"] : undefined);
  return isRecord(schema) ? schema : undefined;
}

/**
 * Output fields from the step's output schema (one field per top-level property, typed from JSON Schema, `enum`s
 * as `literal` with options) or its output format (`claude_extract`'s `extraction_config.format: json` → one
 * `json` field); otherwise the single string output `output`.
 */
export function inferOutputs(step: Record<string, unknown>, names: UniqueNames): SignatureField[] {
  const schema = outputSchemaOf(step);
  const properties =
    schema && isRecord(schema["properties"]) ? Object.entries(schema["properties"]) : [];
  if (properties.length > 0)
    return properties.map(([property, spec]) => fieldFromProperty(property, spec, names));
  if (schema)
    return [
      {
        name: names.claim("output"),
        type: "json",
        description: "The step's output, matching its output schema.",
      },
    ];
  const extraction = isRecord(step["extraction_config"]) ? step["extraction_config"] : {};
  const format = typeof extraction["format"] === "string" ? extraction["format"] : undefined;
  if (step["type"] === "claude_extract" && format === "json") {
    return [
      { name: names.claim("output"), type: "json", description: "The extracted content as JSON." },
    ];
  }
  const described = format ? `The step's response (${format}).` : "The step's response.";
  return [{ name: names.claim("output"), type: "string", description: described }];
}
