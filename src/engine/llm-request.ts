import { resolveModel, type LmRequest } from "../providers/index.js";
import { asPromptStep, type ExecContext, type PromptStep, type RawStep } from "./exec-context.js";

/** `claude_options`, typed by the schema (`defaults.claude_options` and presets merged in at load). */
export type ClaudeOptions = NonNullable<Extract<PromptStep, { type: "claude" }>["claude_options"]>;

/** Claude options that need Claude Code (tools, turns, a working directory, MCP): recorded and warned about, not applied. */
const CLAUDE_CODE_ONLY = [
  "allowed_tools",
  "disallowed_tools",
  "max_turns",
  "cwd",
  "mcp_servers",
  "permission_mode",
  "session_id",
  "resume_session",
  "hooks",
] as const;
const CLAUDE_CODE_ONLY_KEYS: ReadonlySet<string> = new Set(CLAUDE_CODE_ONLY);

/** Gemini options the Messages-style completion cannot honour (function calling). */
const GEMINI_ONLY = ["functions", "tools"] as const;

/** @default output tokens of a step that sets no limit. */
const DEFAULT_MAX_TOKENS = 4096;

const positive = (value: unknown, scale: number): number | undefined =>
  typeof value === "number" && value > 0 ? value * scale : undefined;

/**
 * The per-attempt timeout a step asks for, most specific first: its `claude_options.timeout_ms`, then
 * `claude_options.timeout_seconds` (these include `defaults.claude_options` and a preset's, merged in
 * at load), its `timeout_seconds`, `defaults.timeout_seconds`; undefined leaves the provider's
 * default (60 s). Each of the SDK's retries gets this long again.
 */
export function attemptTimeoutMs(
  step: RawStep,
  ctx: ExecContext,
  claudeOptions?: ClaudeOptions,
): number | undefined {
  return (
    positive(claudeOptions?.timeout_ms, 1) ??
    positive(claudeOptions?.timeout_seconds, 1000) ??
    positive(step.timeout_seconds, 1000) ??
    positive(ctx.workflow.defaults?.timeout_seconds, 1000)
  );
}

/** Which provider family a step type belongs to. */
export function stepFamily(type: string): "claude" | "gemini" {
  return type.startsWith("gemini") ? "gemini" : "claude";
}

/** The step's Claude options: `defaults.claude_options`, under the step's own. */
export function claudeOptionsOf(step: PromptStep, ctx: ExecContext): ClaudeOptions {
  // Gemini steps have no `claude_options` in the schema; one written there anyway is still read.
  const own = "claude_options" in step ? step.claude_options : undefined;
  return { ...ctx.workflow.defaults?.claude_options, ...own };
}

function warnClaudeCodeOnly(
  step: RawStep,
  options: Readonly<Record<string, unknown>>,
  ctx: ExecContext,
): void {
  // Options usually hold a key or two: check those before walking the list (which fixes the warnings' order).
  let named = false;
  for (const key in options) if ((named = CLAUDE_CODE_ONLY_KEYS.has(key))) break;
  if (!named) return;
  for (const key of CLAUDE_CODE_ONLY) {
    if (options[key] === undefined) continue;
    ctx.warnOnce(
      `claude_code:${key}`,
      `claude_options.${key} (first seen on step '${step.name}') needs Claude Code; hybrid-pipeline runs claude steps as Messages API completions, so it is recorded and has no effect`,
    );
  }
}

/**
 * Turns a step (or a parallel task) and its built prompt into an `LmRequest`: a Messages-API style
 * completion. Claude: model alias resolved (`sonnet`/`opus`/`haiku`), `system_prompt` +
 * `append_system_prompt` as the system prompt. Gemini: `model` (else `defaults.gemini_model`),
 * `token_budget` (else `defaults.gemini_token_budget`) for max tokens and temperature.
 */
export function buildLmRequest(
  raw: RawStep,
  prompt: string,
  ctx: ExecContext,
  overrides: { claudeOptions?: ClaudeOptions; system?: string } = {},
): LmRequest {
  const step = asPromptStep(raw);
  if (step.type === "gemini" || step.type === "gemini_instructor") {
    for (const key of GEMINI_ONLY) {
      // `tools` is not in the schema: read it from the untyped step.
      if (raw[key] !== undefined)
        ctx.warnOnce(
          `gemini:${key}`,
          `${key} (first seen on step '${step.name}') asks for Gemini function calling, which hybrid-pipeline does not run; the model answers in text`,
        );
    }
    const budget = { ...ctx.workflow.defaults?.gemini_token_budget, ...step.token_budget };
    const model = resolveModel("gemini", step.model ?? ctx.workflow.defaults?.gemini_model ?? "");
    const timeoutMs = attemptTimeoutMs(step, ctx);
    return {
      model,
      ...(overrides.system ? { system: overrides.system } : {}),
      messages: [{ role: "user", content: prompt }],
      maxTokens: budget.max_output_tokens ?? DEFAULT_MAX_TOKENS,
      temperature: budget.temperature ?? 0,
      purpose: "step",
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    };
  }
  const options = overrides.claudeOptions ?? claudeOptionsOf(step, ctx);
  warnClaudeCodeOnly(step, options, ctx);
  const system = joinSystem(overrides.system, options.system_prompt, options.append_system_prompt);
  const model = resolveModel("claude", options.model);
  const messages: LmRequest["messages"] = [{ role: "user", content: prompt }];
  // `max_tokens` is not in the schema (the validator warns about it): read it only when it is a number.
  const unlisted: Record<string, unknown> = options;
  const maxTokens =
    typeof unlisted.max_tokens === "number" ? unlisted.max_tokens : DEFAULT_MAX_TOKENS;
  // Literals rather than a spread of `{ system }`: this runs once per step (engine-overhead bench).
  const request: LmRequest = system
    ? { model, system, messages, maxTokens, temperature: 0, purpose: "step" }
    : { model, messages, maxTokens, temperature: 0, purpose: "step" };
  const timeoutMs = attemptTimeoutMs(step, ctx, options);
  if (timeoutMs !== undefined) request.timeoutMs = timeoutMs;
  return request;
}

/** The non-empty strings among `parts`, joined by a blank line ("" when none). */
function joinSystem(...parts: Array<string | undefined>): string {
  let system = "";
  for (const part of parts)
    if (part !== undefined && part !== "") system = system === "" ? part : `${system}\n\n${part}`;
  return system;
}
