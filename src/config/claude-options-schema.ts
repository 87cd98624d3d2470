import { stringEnum } from "../report/index.js";
import { Type, type Static } from "@sinclair/typebox";

const closed = { additionalProperties: false } as const;

/** Claude presets (pipeline_ex's `OptionBuilder`). */
export const claudePresetNames = ["development", "production", "analysis", "chat", "test"] as const;
export type ClaudePreset = (typeof claudePresetNames)[number];

/** `retry_config` of Claude options and `claude_robust` steps. */
export const RetryConfigSchema = Type.Object(
  {
    max_retries: Type.Optional(
      Type.Integer({ minimum: 0, description: "Retries after the first attempt." }),
    ),
    backoff_strategy: Type.Optional(
      stringEnum(["linear", "exponential"] as const, {
        description: "Delay growth between retries.",
      }),
    ),
    retry_on: Type.Optional(
      Type.Array(Type.String(), { description: "Error conditions that trigger a retry." }),
    ),
    retry_conditions: Type.Optional(
      Type.Array(Type.String(), {
        description: "Error conditions that trigger a retry (claude_robust).",
      }),
    ),
    fallback_action: Type.Optional(
      Type.String({ description: "What to do after the last failure." }),
    ),
  },
  { ...closed, description: "Retry policy." },
);

/** `claude_options`: settings passed to Claude (steps, tasks and `defaults`). */
export const ClaudeOptionsSchema = Type.Object(
  {
    model: Type.Optional(
      Type.String({ description: "Model id or alias (`sonnet`, `opus`, `haiku`)." }),
    ),
    fallback_model: Type.Optional(
      Type.String({ description: "Model used when the first is overloaded." }),
    ),
    max_turns: Type.Optional(Type.Integer({ minimum: 1, description: "Conversation turn limit." })),
    output_format: Type.Optional(
      stringEnum(["text", "json", "stream_json", "stream-json"] as const, {
        default: "json",
        description: "Output format (default from `defaults.claude_output_format`, else `json`).",
      }),
    ),
    verbose: Type.Optional(Type.Boolean({ description: "Detailed logging." })),
    print: Type.Optional(Type.Boolean({ description: "Non-interactive (print) mode." })),
    allowed_tools: Type.Optional(
      Type.Array(Type.String(), { description: "Tools Claude may use." }),
    ),
    disallowed_tools: Type.Optional(
      Type.Array(Type.String(), { description: "Tools Claude may not use." }),
    ),
    system_prompt: Type.Optional(Type.String({ description: "Replaces the system prompt." })),
    append_system_prompt: Type.Optional(
      Type.String({ description: "Appended to the system prompt." }),
    ),
    cwd: Type.Optional(Type.String({ description: "Working directory." })),
    permission_mode: Type.Optional(Type.String({ description: "Claude permission mode." })),
    session_id: Type.Optional(Type.String({ description: "Session to continue." })),
    resume_session: Type.Optional(
      Type.Boolean({ description: "Resume the session if it exists." }),
    ),
    debug_mode: Type.Optional(Type.Boolean({ description: "Debug output." })),
    telemetry_enabled: Type.Optional(Type.Boolean({ description: "Collect telemetry." })),
    cost_tracking: Type.Optional(Type.Boolean({ description: "Track cost." })),
    retry_config: Type.Optional(RetryConfigSchema),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 1, description: "Request timeout (ms)." })),
    timeout_seconds: Type.Optional(
      Type.Integer({ minimum: 1, description: "Request timeout (s)." }),
    ),
    async_streaming: Type.Optional(
      Type.Boolean({ description: "Stream messages as they arrive (`claude` steps)." }),
    ),
    stream_handler: Type.Optional(
      stringEnum(["console", "simple", "debug", "file", "callback", "buffer"] as const, {
        description: "Stream handler when `async_streaming` is on.",
      }),
    ),
    stream_buffer_size: Type.Optional(
      Type.Integer({ minimum: 1, description: "Stream buffer size (messages)." }),
    ),
    pass_through_streaming: Type.Optional(
      Type.Boolean({ description: "Forward the stream unchanged." }),
    ),
  },
  { ...closed, description: "Claude settings." },
);
export type ClaudeOptions = Static<typeof ClaudeOptionsSchema>;

/** Gemini `token_budget` (and `defaults.gemini_token_budget`). */
export const TokenBudgetSchema = Type.Object(
  {
    max_output_tokens: Type.Optional(
      Type.Integer({ minimum: 1, description: "Output token limit." }),
    ),
    max_input_tokens: Type.Optional(
      Type.Integer({ minimum: 1, description: "Input token limit." }),
    ),
    temperature: Type.Optional(
      Type.Number({ minimum: 0, maximum: 2, description: "Sampling temperature." }),
    ),
    top_p: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: "Nucleus sampling." })),
    top_k: Type.Optional(Type.Integer({ minimum: 1, description: "Top-k sampling." })),
  },
  { ...closed, description: "Gemini generation limits." },
);
export type TokenBudget = Static<typeof TokenBudgetSchema>;
