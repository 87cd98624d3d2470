import type { LmRequest } from "../providers/index.js";
import { parseJsonAnswer, parseMarkers } from "./chat-adapter.js";
import type { Fields } from "./example.js";
import type { Signature } from "./signature.js";
import { isRecord } from "../report/index.js";

/** The part of a step its traditional prompt is rendered from. */
export interface TraditionalStep {
  name: string;
  prompt?: unknown;
  claude_options?: unknown;
}

const record = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

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

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Whether an input's template reads the result of step `step`: `steps.<step>` or
 * `previous_response:<step>` as whole path segments, so `{{steps.ab.x}}` does not name step `a`.
 */
function templateNamesStep(template: string, step: string): boolean {
  const name = escapeRegExp(step);
  return new RegExp(
    `(?<![\\w.])(?:steps\\.${name}(?![^.\\s}\\[|,)])|previous_response:${name}(?![^:\\s}|,)]))`,
  ).test(template);
}

/** Whether an input's template names file `path` whole: `data.txt` is not named by `{{file:metadata.txt}}`. */
function templateNamesFile(template: string, path: string): boolean {
  return path !== "" && new RegExp(`(?<![\\w./-])${escapeRegExp(path)}(?![\\w./-])`).test(template);
}

/** Replaces each input field's template in `text` with the example's value, noting the fields it placed. */
function substituteInputs(
  text: string,
  signature: Signature,
  inputs: Fields,
  placed: Set<string>,
): string {
  let out = text;
  for (const f of signature.inputs) {
    if (!f.template || !out.includes(f.template)) continue;
    out = out.split(f.template).join(inputs[f.name] ?? "");
    placed.add(f.name);
  }
  return out;
}

/** One prompt part with the example's inputs in place: whole when an input's template names its step or file. */
function renderPart(
  part: unknown,
  signature: Signature,
  inputs: Fields,
  placed: Set<string>,
): string {
  const p = record(part);
  for (const f of signature.inputs) {
    if (!f.template) continue;
    const named =
      (p.type === "previous_response" && templateNamesStep(f.template, String(p.step))) ||
      (p.type === "file" && templateNamesFile(f.template, String(p.path)));
    if (named) {
      placed.add(f.name);
      return inputs[f.name] ?? "";
    }
  }
  return substituteInputs(placeholder(part), signature, inputs, placed);
}

/** The step's system prompt (`system_prompt` + `append_system_prompt`) with the example's inputs in place of their templates. */
function renderSystem(
  step: TraditionalStep,
  signature: Signature,
  inputs: Fields,
  placed: Set<string>,
): string | undefined {
  // As the engine sends it: system_prompt, then append_system_prompt.
  const options = record(step.claude_options);
  const parts = [options.system_prompt, options.append_system_prompt].filter(
    (p): p is string => typeof p === "string" && p !== "",
  );
  return parts.length > 0
    ? substituteInputs(parts.join("\n\n"), signature, inputs, placed)
    : undefined;
}

function renderTraditional(
  step: TraditionalStep,
  signature: Signature,
  inputs: Fields,
): { system: string | undefined; prompt: string } {
  const placed = new Set<string>();
  const system = renderSystem(step, signature, inputs, placed);
  if (signature.promptAsInput) return { system, prompt: inputs.prompt ?? "" };
  const parts = Array.isArray(step.prompt)
    ? step.prompt
    : typeof step.prompt === "string"
      ? [{ type: "static", content: step.prompt }]
      : [];
  const rendered = parts.map((part) => renderPart(part, signature, inputs, placed));
  const missing = signature.inputs
    .filter((f) => !placed.has(f.name))
    .map((f) => `${f.name}:\n${inputs[f.name] ?? ""}`);
  return { system, prompt: [...rendered, ...missing].filter((t) => t !== "").join("\n") };
}

/**
 * The traditional prompt of a step with a training example's inputs in place of its run-time values.
 * A step without explicit inputs takes the example's `prompt` as its whole prompt. Otherwise the step's
 * prompt parts are rendered to text, and each input field's `template` (the place its value comes from
 * at run time) is replaced by the example's value; a `previous_response`/`file` part that the template
 * names (`steps.<step>` or the file path, as whole path segments) is replaced whole. Inputs that appear
 * nowhere, neither here nor in the system prompt, are appended as `name:` blocks, so the traditional
 * arm always sees every input the optimized arm sees.
 */
export function traditionalPrompt(
  step: TraditionalStep,
  signature: Signature,
  inputs: Fields,
): string {
  return renderTraditional(step, signature, inputs).prompt;
}

/**
 * The traditional arm's request: the rendered prompt as one user message, and the step's
 * `system_prompt` if any, with input templates in it replaced as in the prompt.
 */
export function traditionalRequest(
  step: TraditionalStep,
  signature: Signature,
  inputs: Fields,
  options: { model: string; maxTokens?: number },
): LmRequest {
  const { system, prompt } = renderTraditional(step, signature, inputs);
  return {
    model: options.model,
    ...(system !== undefined ? { system } : {}),
    messages: [{ role: "user", content: prompt }],
    maxTokens: options.maxTokens ?? 1024,
    temperature: 0,
    step: step.name,
  };
}

/** Reads a traditional answer as output fields: the whole text for one output, else JSON or markers, else the first field. */
export function traditionalOutputs(signature: Signature, text: string): Fields {
  if (signature.outputs.length === 1) return { [signature.outputs[0]!.name]: text.trim() };
  return (
    parseJsonAnswer(signature, text) ??
    parseMarkers(signature, text) ?? { [signature.outputs[0]!.name]: text.trim() }
  );
}

/**
 * The step with each `file` part that holds the step's own text (no signature input names its path, and
 * the path is not a template) replaced by a `static` part with the file's text, so that compiling scores
 * the prompt a run sends and its cache key changes when the file does. A file an input names stays a
 * placeholder (the example's value goes there); an unreadable file stays too (the run reports it).
 */
export async function inlinePromptFiles<T extends TraditionalStep>(
  step: T,
  signature: Signature,
  readText: (path: string) => Promise<string | undefined>,
): Promise<T> {
  if (!Array.isArray(step.prompt)) return step;
  const named = (path: string) =>
    signature.inputs.some((f) => f.template !== undefined && templateNamesFile(f.template, path));
  const prompt = await Promise.all(
    step.prompt.map(async (part: unknown) => {
      const p = record(part);
      if (p.type !== "file" || typeof p.path !== "string") return part;
      if (p.path.includes("{{") || named(p.path)) return part;
      const content = await readText(p.path);
      return content === undefined ? part : { type: "static", content };
    }),
  );
  return { ...step, prompt };
}
