import type { LmResponse } from "../../providers/index.js";
import {
  asPromptStep,
  type ExecContext,
  type LlmStepOutcome,
  type PromptStep,
  type RawStep,
  type StepResultValue,
} from "../exec-context.js";
import { buildLmRequest, claudeOptionsOf, stepFamily } from "../llm-request.js";
import { buildInlinePrompt, buildPrompt } from "../prompt-builder.js";
import { parseJsonObject } from "../step-results.js";
import { callModel, retryPolicyOf, type RetryPolicy } from "./call-model.js";
import { postProcess } from "./extract-post-process.js";
import { isRecord } from "../../report/index.js";

const record = (value: unknown): Record<string, unknown> | undefined =>
  isRecord(value) ? value : undefined;

/**
 * The result map of an LLM step, keyed as pipeline_ex's steps key theirs: Claude steps `text`, Gemini
 * steps `content`, both `success` and `cost`; when the answer is a JSON object its fields are merged
 * in, so `extract: score` and conditions like `analysis.score > 7` work.
 */
export function llmResult(type: string, response: LmResponse): Record<string, unknown> {
  const parsed = parseJsonObject(response.text);
  const key = stepFamily(type) === "gemini" ? "content" : "text";
  const shaped = {
    [key]: response.text,
    success: true,
    cost: response.costUsd ?? 0,
    model: response.model,
  };
  return parsed && !Array.isArray(parsed) ? { ...parsed, ...shaped } : shaped;
}

function instructorSystem(step: PromptStep, ctx: ExecContext): string | undefined {
  if (step.type !== "gemini_instructor") return undefined;
  const functions = step.functions ?? [];
  const declared = ctx.workflow.gemini_functions ?? {};
  const schemas = functions
    .filter((f) => declared[f])
    .map((f) => ({
      name: f,
      description: declared[f]!.description,
      parameters: declared[f]!.parameters,
    }));
  const schema =
    step.schema ??
    (schemas.length === 1
      ? schemas[0]!.parameters
      : schemas.length > 0
        ? { oneOf: schemas }
        : undefined);
  return `Respond with a single JSON object only.${schema ? ` It must match this JSON Schema:\n${JSON.stringify(schema, null, 2)}` : ""}`;
}

/**
 * Appends one exchange to the transcript of the session a `claude_session` step continues (no-op for
 * other steps), whichever variant answered, so the next step of the session sees it.
 */
export function recordSessionTurn(
  step: RawStep,
  ctx: ExecContext,
  prompt: string,
  answer: string,
): void {
  const session = sessionName(step);
  if (!session) return;
  ctx.state.sessions.set(session, [
    ...(ctx.state.sessions.get(session) ?? []),
    { role: "user", content: prompt },
    { role: "assistant", content: answer },
  ]);
}

/** The session a `claude_session` step continues (its transcript is sent as earlier turns). */
function sessionName(step: RawStep): string | undefined {
  if (step.type !== "claude_session") return undefined;
  const config = record(step.session_config);
  return typeof config?.session_name === "string" ? config.session_name : step.name;
}

/**
 * The traditional route of an LLM step (and the default {@link LlmStepRunner}): builds the step's own
 * prompt, sends it as one completion (`claude_robust` retries per `retry_config`, `claude_session`
 * carries its transcript, `gemini_instructor` asks for JSON), shapes the result map and applies
 * `claude_extract` post-processing.
 */
export async function executeLlmStep(raw: RawStep, ctx: ExecContext): Promise<LlmStepOutcome> {
  const step = asPromptStep(raw);
  const prompt =
    buildInlinePrompt(step.prompt, step.name, ctx) ??
    (await buildPrompt(step.prompt, step.name, ctx));
  const options = claudeOptionsOf(step, ctx);
  const request = buildLmRequest(step, prompt, ctx, {
    claudeOptions: options,
    system: instructorSystem(step, ctx),
  });
  const session = sessionName(step);
  const history = session ? (ctx.state.sessions.get(session) ?? []) : [];
  if (history.length > 0) request.messages = [...history, ...request.messages];
  let policy: RetryPolicy | undefined;
  if (step.type === "claude_robust")
    policy = retryPolicyOf(step.retry_config ?? options.retry_config);
  const { response, attempts } = await callModel(
    step,
    request,
    ctx,
    policy,
    options.fallback_model,
  );
  let result = llmResult(step.type, response);
  if (step.type === "claude_robust") result = { ...result, attempts };
  if (step.type === "claude_extract")
    result = { ...result, ...postProcess(response.text, record(step.extraction_config) ?? {}) };
  if (session)
    ctx.state.sessions.set(session, [
      ...history,
      { role: "user", content: prompt },
      { role: "assistant", content: response.text },
    ]);
  return {
    result,
    route: "traditional",
    decision: {
      route: "traditional",
      reason: "traditional mode: the step runs its own prompt",
      estimated_benefit: null,
    },
    fallback: null,
    quality: null,
  };
}

/** Registry entry of every single-prompt LLM step type: delegates to the run's {@link LlmStepRunner} seam. */
export const runLlmStep = (step: PromptStep, ctx: ExecContext): Promise<StepResultValue> =>
  ctx.llmStep(step, ctx).then((outcome) => ({ result: outcome.result, llm: outcome }));
