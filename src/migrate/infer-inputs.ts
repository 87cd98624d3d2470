import type { SignatureField } from "../config/index.js";
import { nameFromExpression, snakeCase, type UniqueNames } from "./field-names.js";

/** Input fields of a prompt, and which field carries each `{{template}}` expression. */
export interface InferredInputs {
  fields: SignatureField[];
  fieldForTemplate(expression: string): string | undefined;
}

interface Source {
  name: string;
  /** Identity of the value: the template with its expression trimmed. */
  template: string;
  /** The template as the prompt writes it (spacing kept), when it differs. */
  written?: string;
  description: string;
}

function sourceOf(part: Record<string, unknown>): Source | undefined {
  if (part["type"] === "previous_response" && typeof part["step"] === "string") {
    const step = part["step"];
    const extract = typeof part["extract"] === "string" ? part["extract"] : undefined;
    if (extract === undefined)
      return {
        name: snakeCase(step, "previous"),
        template: `{{steps.${step}.result}}`,
        description: `The output of step \`${step}\`.`,
      };
    return {
      name: snakeCase(`${step}_${extract}`, "previous"),
      template: `{{steps.${step}.result.${extract}}}`,
      description: `\`${extract}\` from the output of step \`${step}\`.`,
    };
  }
  if (part["type"] === "file" && typeof part["path"] === "string") {
    const path = part["path"];
    const base = path.split(/[\\/]/).pop() ?? path;
    return {
      name: snakeCase(base.replace(/\.[^.]*$/, ""), "file"),
      template: `{{file:${path}}}`,
      description: `The content of the file \`${path}\`.`,
    };
  }
  return undefined;
}

/** Each `{{…}}` of `text`: the expression (trimmed) and the template exactly as written, so it can be found again. */
function templatesIn(text: string): Array<{ expression: string; written: string }> {
  return [...text.matchAll(/\{\{([^}]*)\}\}/g)]
    .map((m) => ({ expression: m[1]!.trim(), written: m[0] }))
    .filter((t) => t.expression);
}

/**
 * Inputs from a prompt's parts, in prompt order: each `previous_response` (with its `extract`), each `file` part,
 * and each distinct `{{…}}` template in static content. `template` says where the value comes from at run time:
 * `{{steps.<step>.result[.<extract>]}}`, `{{file:<path>}}`, or the template exactly as the prompt writes it. Session parts carry no
 * input (the session supplies them). Types are `string`: a prompt is text.
 */
export function inferInputs(
  parts: Array<Record<string, unknown>>,
  names: UniqueNames,
): InferredInputs {
  const byTemplate = new Map<string, SignatureField>();
  const add = (source: Source) => {
    if (byTemplate.has(source.template)) return;
    byTemplate.set(source.template, {
      name: names.claim(source.name),
      type: "string",
      description: source.description,
      template: source.written ?? source.template,
    });
  };
  for (const part of parts) {
    const source = sourceOf(part);
    if (source) add(source);
    if (part["type"] === "static" && typeof part["content"] === "string") {
      for (const { expression, written } of templatesIn(part["content"])) {
        add({
          name: nameFromExpression(expression),
          template: `{{${expression}}}`,
          written,
          description: `The value of \`{{${expression}}}\`.`,
        });
      }
    }
  }
  return {
    fields: [...byTemplate.values()],
    fieldForTemplate: (expression) => byTemplate.get(`{{${expression}}}`)?.name,
  };
}
