import type { ClaudeOptions, ClaudePreset } from "./claude-options-schema.js";

const retry = (
  max_retries: number,
  backoff_strategy: "linear" | "exponential",
  retry_on: string[],
) => ({ max_retries, backoff_strategy, retry_on });

/**
 * Claude options of each preset, as pipeline_ex's `Pipeline.OptionBuilder.build_*_options/0` define them
 * (lib/pipeline/option_builder.ex). A step's `preset` (else `defaults.claude_preset`) is merged under its options.
 */
export const claudePresets: Readonly<Record<ClaudePreset, Readonly<ClaudeOptions>>> = {
  development: {
    max_turns: 20,
    verbose: true,
    output_format: "stream_json",
    allowed_tools: ["Write", "Edit", "Read", "Bash", "Search", "Glob", "Grep"],
    debug_mode: true,
    telemetry_enabled: true,
    cost_tracking: true,
    retry_config: retry(3, "exponential", ["timeout", "api_error"]),
    timeout_ms: 300_000,
    system_prompt:
      "You are a helpful development assistant. Focus on writing clean, maintainable code.",
  },
  production: {
    max_turns: 10,
    verbose: false,
    output_format: "json",
    allowed_tools: ["Read"],
    debug_mode: false,
    telemetry_enabled: true,
    cost_tracking: true,
    retry_config: retry(2, "linear", ["timeout"]),
    timeout_ms: 120_000,
    system_prompt: "You are a production assistant. Prioritize safety and reliability.",
  },
  analysis: {
    max_turns: 5,
    verbose: true,
    output_format: "json",
    allowed_tools: ["Read", "Glob", "Grep"],
    debug_mode: false,
    telemetry_enabled: true,
    cost_tracking: true,
    retry_config: retry(2, "exponential", ["timeout", "api_error"]),
    timeout_ms: 180_000,
    system_prompt:
      "You are a code analysis expert. Provide detailed, structured analysis with specific recommendations.",
  },
  chat: {
    max_turns: 15,
    verbose: false,
    output_format: "text",
    allowed_tools: [],
    debug_mode: false,
    telemetry_enabled: false,
    cost_tracking: true,
    retry_config: retry(1, "linear", ["timeout"]),
    timeout_ms: 60_000,
    system_prompt: "You are a helpful assistant. Provide clear, concise responses.",
  },
  test: {
    max_turns: 3,
    verbose: true,
    output_format: "json",
    allowed_tools: ["Read"],
    debug_mode: true,
    telemetry_enabled: false,
    cost_tracking: false,
    retry_config: retry(1, "linear", []),
    timeout_ms: 30_000,
    system_prompt: "You are a test assistant. Provide predictable, structured responses.",
  },
};
