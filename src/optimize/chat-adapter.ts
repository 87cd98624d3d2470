import type { LmMessage } from "../providers/index.js";
import type { Demo, Fields } from "./example.js";
import type { Field, Signature } from "./signature.js";

/**
 * Prompt rendering and parsing in the manner of DSPy's ChatAdapter
 * (https://github.com/stanfordnlp/dspy/blob/main/dspy/adapters/chat_adapter.py): the system message
 * describes the fields and the `[[ ## field ## ]]` structure and ends with the instructions; demos are
 * user/assistant pairs before the final user message; the answer is parsed from the markers.
 */
function typeLabel(f: Field): string {
  if (f.options && f.options.length > 0)
    return `Literal[${f.options.map((o) => `'${o}'`).join(", ")}]`;
  const labels: Record<Field["type"], string> = {
    string: "str",
    number: "float",
    boolean: "bool",
    list: "list",
    object: "dict",
    json: "dict",
    literal: "str",
  };
  return labels[f.type];
}

function describe(fields: Field[]): string {
  return fields
    .map(
      (f, i) =>
        `${i + 1}. \`${f.name}\` (${typeLabel(f)})${f.description ? `: ${f.description}` : ""}`,
    )
    .join("\n");
}

/** The system message: field descriptions, the marker structure, the objective (DSPy's layout). */
export function systemMessage(signature: Signature, instructions: string): string {
  const structure = [...signature.inputs, ...signature.outputs]
    .map((f) => `[[ ## ${f.name} ## ]]\n{${f.name}}`)
    .join("\n\n");
  return [
    `Your input fields are:\n${describe(signature.inputs)}`,
    `Your output fields are:\n${describe(signature.outputs)}`,
    "",
    `All interactions will be structured in the following way, with the appropriate values filled in.\n\n${structure}\n\n[[ ## completed ## ]]`,
    `In adhering to this structure, your objective is: \n        ${instructions}`,
  ].join("\n");
}

function fieldsBlock(fields: Field[], values: Fields): string {
  return fields.map((f) => `[[ ## ${f.name} ## ]]\n${values[f.name] ?? ""}`).join("\n\n");
}

function respondLine(signature: Signature): string {
  const first = signature.outputs[0]!;
  const rest = signature.outputs
    .slice(1)
    .map((f) => `, then \`[[ ## ${f.name} ## ]]\``)
    .join("");
  const literal =
    first.options && first.options.length > 0
      ? ` (must be formatted as a valid Python ${typeLabel(first)})`
      : "";
  return `Respond with the corresponding output fields, starting with the field \`[[ ## ${first.name} ## ]]\`${literal}${rest}, and then ending with the marker for \`[[ ## completed ## ]]\`.`;
}

/** The user message of one input (a demo's or the final one). */
export function userMessage(signature: Signature, inputs: Fields): string {
  return `${fieldsBlock(signature.inputs, inputs)}\n\n${respondLine(signature)}`;
}

/** The assistant message of a demo: its outputs in markers, then `[[ ## completed ## ]]`. */
export function assistantMessage(signature: Signature, outputs: Fields): string {
  return `${fieldsBlock(signature.outputs, outputs)}\n\n[[ ## completed ## ]]`;
}

/** The messages of a call: each demo as a user/assistant pair, then the final user message. */
export function chatMessages(signature: Signature, demos: Demo[], inputs: Fields): LmMessage[] {
  const messages: LmMessage[] = [];
  for (const demo of demos) {
    messages.push({ role: "user", content: userMessage(signature, demo.inputs) });
    messages.push({ role: "assistant", content: assistantMessage(signature, demo.outputs) });
  }
  messages.push({ role: "user", content: userMessage(signature, inputs) });
  return messages;
}

/** Parses the marker sections of an answer; undefined when an output field is missing. */
export function parseMarkers(signature: Signature, text: string): Fields | undefined {
  const sections = new Map<string, string>();
  const parts = text.split(/\[\[ ## ([^#\]]+?) ## \]\]/);
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const name = parts[i]!.trim();
    if (!sections.has(name)) sections.set(name, parts[i + 1]!.trim());
  }
  const out: Fields = {};
  for (const f of signature.outputs) {
    const value = sections.get(f.name);
    if (value === undefined) return undefined;
    out[f.name] = value;
  }
  return out;
}

/** The follow-up asking for JSON after a marker parse failure (DSPy falls back to its JSONAdapter). */
export function jsonRetryMessage(signature: Signature): string {
  const keys = signature.outputs.map((f) => `"${f.name}"`).join(", ");
  return `Your previous answer could not be parsed. Respond only with a JSON object with the keys ${keys}.`;
}

/** Parses a JSON object answer (optionally fenced); undefined when an output field is missing. */
export function parseJsonAnswer(signature: Signature, text: string): Fields | undefined {
  const body = /\{[\s\S]*\}/.exec(text)?.[0];
  if (body === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const out: Fields = {};
  for (const f of signature.outputs) {
    const v = record[f.name];
    if (v === undefined) return undefined;
    out[f.name] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return out;
}

/**
 * The output adapter both A/B arms go through before the metric: ChatAdapter markers, else a JSON
 * object with the signature's fields, else (one output field) the whole non-empty text, which for a
 * `literal` field must be one of its options. Undefined when none reads, which is when callers send
 * the one JSON retry ({@link jsonRetryMessage}).
 */
export function adaptAnswer(signature: Signature, text: string): Fields | undefined {
  const parsed = parseMarkers(signature, text) ?? parseJsonAnswer(signature, text);
  if (parsed) return parsed;
  const trimmed = text.trim();
  const only = signature.outputs.length === 1 ? signature.outputs[0]! : undefined;
  if (!only || trimmed === "") return undefined;
  if (!only.options) return { [only.name]: trimmed };
  const option = only.options.find((o) => o.toLowerCase() === trimmed.toLowerCase());
  return option === undefined ? undefined : { [only.name]: option };
}
