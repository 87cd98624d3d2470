/** Which family of models a pipeline_ex step calls: `claude` steps vs `gemini` steps. */
export type StepFamily = "claude" | "gemini";

/**
 * Short names pipeline_ex workflows use, mapped to current model ids. Claude: the newest ids of the
 * SDK's `Model` list (@anthropic-ai/sdk 1.14) that are neither in its `DEPRECATED_MODELS` table (the
 * end-of-life dates it warns about; `claude-sonnet-4-5` ended 2026-11-30, `claude-opus-4-5` ends
 * 2027-01-22, `claude-opus-4-1` has left the list) nor missing from our price table, so costs and
 * budgets stay known (4.6 rates: https://docs.claude.com/en/docs/about-claude/pricing). Gemini: the
 * 2.5 GA ids, still in @google/genai 2.32's model list (https://ai.google.dev/gemini-api/docs/models).
 * test/providers/model-aliases.test.ts reads the SDKs' tables at test time and fails when one of
 * these is deprecated. Any other id passes through unchanged.
 */
export const MODEL_ALIASES: Record<StepFamily, Record<string, string>> = {
  claude: {
    sonnet: "claude-sonnet-4-6",
    opus: "claude-opus-4-6",
    haiku: "claude-haiku-4-5",
  },
  gemini: {
    flash: "gemini-2.5-flash",
    pro: "gemini-2.5-pro",
    "flash-lite": "gemini-2.5-flash-lite",
  },
};

/** The model a step gets when its YAML names none (pipeline_ex's defaults, moved past end of life). */
export const DEFAULT_MODELS: Record<StepFamily, string> = {
  claude: "claude-sonnet-4-6",
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
