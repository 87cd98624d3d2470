/** pipeline_ex's supported step types, in the order its loader lists them (lib/pipeline/config.ex). */
export const stepTypes = [
  "set_variable",
  "claude",
  "gemini",
  "parallel_claude",
  "gemini_instructor",
  "claude_smart",
  "claude_session",
  "claude_extract",
  "claude_batch",
  "claude_robust",
  "for_loop",
  "while_loop",
  "data_transform",
  "file_ops",
  "pipeline",
] as const;

/** Step types pipeline_ex accepts only when `Mix.env() == :test`. */
export const testOnlyStepTypes = ["test_echo"] as const;

/** Step types that call a language model (and so may carry a signature). */
export const llmStepTypes = [
  "claude",
  "gemini",
  "parallel_claude",
  "gemini_instructor",
  "claude_smart",
  "claude_session",
  "claude_extract",
  "claude_batch",
  "claude_robust",
] as const;

/** Step types whose prompt pipeline_ex does not validate (and which need none). */
export const promptlessStepTypes = [
  "parallel_claude",
  "set_variable",
  "pipeline",
  "test_echo",
  "for_loop",
  "while_loop",
  "data_transform",
  "file_ops",
] as const;

/** True when steps of this type call a language model. */
export function isLlmStepType(type: string): boolean {
  return (llmStepTypes as readonly string[]).includes(type);
}
