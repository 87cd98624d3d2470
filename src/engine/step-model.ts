import type { Step, Workflow } from "../config/index.js";
import { resolveModel } from "../providers/index.js";
import { isRecord } from "../report/index.js";

/** The model a step asks for, as its LM request resolves it (claude: `claude_options.model`; gemini: `model`). */
export function stepModel(step: Step, workflow: Workflow): string {
  const s = step as Record<string, unknown>;
  if (step.type.startsWith("gemini"))
    return resolveModel(
      "gemini",
      typeof s.model === "string" ? s.model : workflow.defaults?.gemini_model,
    );
  const options = {
    ...(workflow.defaults?.claude_options ?? {}),
    ...(isRecord(s.claude_options) ? s.claude_options : {}),
  };
  return resolveModel("claude", typeof options.model === "string" ? options.model : undefined);
}
