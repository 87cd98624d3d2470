/** Which family of models a pipeline_ex step calls: `claude` steps vs `gemini` steps. */
export type StepFamily = "claude" | "gemini";

/**
 * Short names pipeline_ex workflows use, mapped to current model ids. The Claude aliases follow
 * Anthropic's model overview (https://docs.claude.com/en/docs/about-claude/models/overview) as of
 * pipeline_ex's corpus commit (2025-10-25); the Gemini ones the Gemini API model list
 * (https://ai.google.dev/gemini-api/docs/models). Any other id passes through unchanged.
 */
export const MODEL_ALIASES: Record<StepFamily, Record<string, string>> = {
  claude: {
    sonnet: "claude-sonnet-4-5",
    opus: "claude-opus-4-1",
    haiku: "claude-haiku-4-5",
  },
  gemini: {
    flash: "gemini-2.5-flash",
    pro: "gemini-2.5-pro",
    "flash-lite": "gemini-2.5-flash-lite",
  },
};

/** The model a step gets when its YAML names none (pipeline_ex's defaults). */
export const DEFAULT_MODELS: Record<StepFamily, string> = {
  claude: "claude-sonnet-4-5",
  gemini: "gemini-2.5-flash",
};

/**
 * Resolves the model a step asked for: an alias (`sonnet`, `opus`, `haiku`, `flash`, `pro`,
 * `flash-lite`, case-insensitive) to its current id, nothing to the family default, any
 * other id to itself.
 * @example resolveModel("claude", "haiku") // "claude-haiku-4-5"
 */
export function resolveModel(stepFamily: StepFamily, requested?: string): string {
  const name = requested?.trim();
  if (!name) return DEFAULT_MODELS[stepFamily];
  return MODEL_ALIASES[stepFamily][name.toLowerCase()] ?? name;
}
