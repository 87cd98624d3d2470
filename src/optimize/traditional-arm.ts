import type { LmRequest } from "../providers/index.js";
import { parseJsonAnswer, parseMarkers } from "./chat-adapter.js";
import type { Fields } from "./example.js";
import type { Signature } from "./signature.js";

/** The part of a step its traditional prompt is rendered from. */
export interface TraditionalStep {
  name: string;
  prompt?: unknown;
  claude_options?: unknown;
}

const record = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * The placeholder text of a prompt part outside a run: `static` content as written; a
 * `previous_response` part as `{{steps.<step>.result}}` (`.result.<extract>` with `extract`); a `file`
 * part as `{{file:<path>}}`; session parts as their `new_prompt`.
 */
function placeholder(part: unknown): string {
  const p = record(part);
  switch (p.type) {
    case "static":
      return typeof p.content === "string" ? p.content : "";
    case "previous_response":
      return `{{steps.${String(p.step)}.result${typeof p.extract === "string" && p.extract ? `.${p.extract}` : ""}}}`;
    case "file":
      return `{{file:${String(p.path)}}}`;
    default:
      return typeof p.new_prompt === "string" ? p.new_prompt : "";
  }
}

/**
 * The traditional prompt of a step with a training example's inputs in place of its run-time values.
 * A step without explicit inputs takes the example's `prompt` as its whole prompt. Otherwise the step's
 * prompt parts are rendered to text, and each input field's `template` (the place its value comes from
 * at run time) is replaced by the example's value; a `previous_response`/`file` part that the template
 * names (`steps.<step>` or the file path) is replaced whole. Inputs that appear nowhere are appended as
 * `name:` blocks, so the traditional arm always sees every input the optimized arm sees.
 */
export function traditionalPrompt(step: TraditionalStep, signature: Signature, inputs: Fields): string {
  if (signature.promptAsInput) return inputs.prompt ?? "";
  const parts = Array.isArray(step.prompt) ? step.prompt : typeof step.prompt === "string" ? [{ type: "static", content: step.prompt }] : [];
  const placed = new Set<string>();
  const rendered = parts.map((part) => {
    let text = placeholder(part);
    const p = record(part);
    for (const f of signature.inputs) {
      const value = inputs[f.name] ?? "";
      if (!f.template) continue;
      const named = (p.type === "previous_response" && f.template.includes(`steps.${String(p.step)}`)) || (p.type === "file" && f.template.includes(String(p.path)));
      if (named) {
        placed.add(f.name);
        return value;
      }
      if (text.includes(f.template)) {
        text = text.split(f.template).join(value);
        placed.add(f.name);
      }
    }
    return text;
  });
  const missing = signature.inputs.filter((f) => !placed.has(f.name)).map((f) => `${f.name}:\n${inputs[f.name] ?? ""}`);
  return [...rendered, ...missing].filter((t) => t !== "").join("\n");
}

/** The traditional arm's request: the rendered prompt as one user message, the step's `system_prompt` if any. */
export function traditionalRequest(step: TraditionalStep, signature: Signature, inputs: Fields, options: { model: string; maxTokens?: number }): LmRequest {
  const system = record(step.claude_options).system_prompt;
  return {
    model: options.model,
    ...(typeof system === "string" ? { system } : {}),
    messages: [{ role: "user", content: traditionalPrompt(step, signature, inputs) }],
    maxTokens: options.maxTokens ?? 1024,
    temperature: 0,
    step: step.name,
  };
}

/** Reads a traditional answer as output fields: the whole text for one output, else JSON or markers, else the first field. */
export function traditionalOutputs(signature: Signature, text: string): Fields {
  if (signature.outputs.length === 1) return { [signature.outputs[0]!.name]: text.trim() };
  return parseJsonAnswer(signature, text) ?? parseMarkers(signature, text) ?? { [signature.outputs[0]!.name]: text.trim() };
}
