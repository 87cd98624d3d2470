import { readFile } from "node:fs/promises";
import type { Fields, Signature } from "../../optimize/index.js";
import type { ExecContext, RawStep } from "../exec-context.js";
import { stringify } from "../expression.js";
import { buildPrompt, formatResult, resolveWorkPath } from "../prompt-builder.js";
import { getPath } from "../step-results.js";
import { renderTemplate } from "../template.js";

/** An input field whose value cannot be found at run time; the step falls back to its own prompt. */
export class InputUnavailable extends Error {
  override readonly name = "InputUnavailable";
}

const FILE_TEMPLATE = /^\{\{\s*file:(.+?)\s*\}\}$/;
const STEP_RESULT_TEMPLATE = /^\{\{\s*steps\.([^.{}\s]+)\.result((?:\.[^.{}\s]+)*)\s*\}\}$/;

async function fileValue(path: string, ctx: ExecContext): Promise<string> {
  try {
    return await readFile(resolveWorkPath(ctx.workdir, path), "utf8");
  } catch (error) {
    throw new InputUnavailable(
      `file '${path}' cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
}

/** `{{steps.x.result[.path]}}`, as migration writes it: the step's whole result (or a field of it). */
function stepResultValue(step: string, fieldPath: string, ctx: ExecContext): string {
  if (!ctx.state.results.has(step)) throw new InputUnavailable(`step '${step}' has no result yet`);
  const result = ctx.state.results.get(step);
  const segments = fieldPath.split(".").filter(Boolean);
  // A result that has its own `result` key keeps pipeline_ex's literal meaning.
  const withResultKey = getPath(result, ["result", ...segments]);
  const value = withResultKey !== undefined ? withResultKey : getPath(result, segments);
  if (value === undefined)
    throw new InputUnavailable(
      `field '${fieldPath.slice(1)}' is not in the result of step '${step}'`,
    );
  return formatResult(value);
}

function renderedValue(template: string, ctx: ExecContext): string {
  let unresolved: string | undefined;
  const text = renderTemplate(template, {
    ...ctx.templates,
    onUnresolved: (p) => (unresolved ??= p),
  });
  if (unresolved) throw new InputUnavailable(`${unresolved} resolves to nothing`);
  return text;
}

/**
 * A field without `template` takes the run input or variable of the same name; failing that, the only
 * input of a signature (`"ticket -> label"` on a step) is the step's rendered prompt.
 */
async function untemplatedValue(
  name: string,
  signature: Signature,
  step: RawStep,
  ctx: ExecContext,
): Promise<string> {
  const value = ctx.templates.resolve(name);
  if (value !== undefined) return stringify(value);
  if (signature.inputs.length === 1) return buildPrompt(step.prompt, step.name, ctx);
  throw new InputUnavailable(
    `it has no template and no input, variable or global var is named '${name}' (give it a template, e.g. "{{steps.<step>.result}}")`,
  );
}

/**
 * The values of a signature's input fields at this point of the run: each field's `template` (where its
 * value comes from: `{{steps.x.result}}`, `{{file:path}}`, any `{{...}}` expression) or, without one, the
 * input or variable of the same name (the only input: else the rendered prompt); a signature without
 * inputs takes the step's rendered prompt.
 * Throws {@link InputUnavailable} naming the field when a value cannot be found.
 */
export async function runtimeInputs(
  signature: Signature,
  step: RawStep,
  ctx: ExecContext,
): Promise<Fields> {
  if (signature.promptAsInput) return { prompt: await buildPrompt(step.prompt, step.name, ctx) };
  const inputs: Fields = {};
  for (const field of signature.inputs) {
    try {
      const template = field.template?.trim();
      const file = template ? FILE_TEMPLATE.exec(template) : null;
      const stepResult = template ? STEP_RESULT_TEMPLATE.exec(template) : null;
      if (file) inputs[field.name] = await fileValue(file[1]!, ctx);
      else if (stepResult)
        inputs[field.name] = stepResultValue(stepResult[1]!, stepResult[2] ?? "", ctx);
      else if (template) inputs[field.name] = renderedValue(template, ctx);
      else inputs[field.name] = await untemplatedValue(field.name, signature, step, ctx);
    } catch (error) {
      if (!(error instanceof InputUnavailable)) throw error;
      throw new InputUnavailable(
        `input field '${field.name}' of step '${step.name}': ${error.message}`,
      );
    }
  }
  return inputs;
}
