import type { LanguageModel, LmRequest, LmResponse } from "../providers/index.js";
import type { CallKind, CallLedger } from "./call-ledger.js";
import { adaptAnswer, chatMessages, jsonRetryMessage, systemMessage } from "./chat-adapter.js";
import type { Fields, Program } from "./example.js";
import type { Signature } from "./signature.js";

/** How a program is called: the model, token limit, and accounting labels. */
export interface PredictOptions {
  model: string;
  /** @default 1024 */
  maxTokens?: number;
  /** @default 0 */
  temperature?: number;
  /** Per-attempt timeout of each call in ms (`hybrid_config.optimized_timeout_ms` for the optimized variant). @default the provider's */
  timeoutMs?: number;
  /** A distinct rollout (DSPy's `rollout_id`, e.g. one repeat of an evaluation): bypasses the LM-call cache, a fresh sample. @default none */
  rolloutId?: string;
  /** Label of the call for errors and cassettes. */
  step?: string;
  kind: CallKind;
  signal?: AbortSignal;
}

/** A prediction, or a parse failure after the JSON retry (scored 0 and counted by callers). */
export type Prediction =
  | { kind: "parsed"; outputs: Fields; latencyMs: number; costUsd: number | null; retried: boolean }
  | { kind: "parse_failed"; text: string; latencyMs: number; costUsd: number | null };

/** Latency and cost as variants are compared: a cache hit counts what its original call took. */
const latencyOf = (r: LmResponse): number => r.uncached?.latencyMs ?? r.latencyMs;
const costOf = (r: LmResponse): number | null => (r.uncached ? r.uncached.costUsd : r.costUsd);
const addCost = (a: number | null, b: LmResponse): number | null =>
  a === null || costOf(b) === null ? null : a + costOf(b)!;

/**
 * Runs a program on one input: builds the ChatAdapter request (system message, demos as
 * user/assistant pairs, final user message) and reads the answer through {@link answerWithRetry}.
 * Provider errors (including the call budget) propagate.
 */
export async function predict(
  program: Program,
  inputs: Fields,
  lm: LanguageModel,
  ledger: CallLedger,
  options: PredictOptions,
): Promise<Prediction> {
  return answerWithRetry(
    program.signature,
    {
      model: options.model,
      system: systemMessage(program.signature, program.instructions),
      messages: chatMessages(program.signature, program.demos, inputs),
      maxTokens: options.maxTokens ?? 1024,
      temperature: options.temperature ?? 0,
      ...(options.step ? { step: options.step } : {}),
      ...(options.rolloutId !== undefined ? { rolloutId: options.rolloutId } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    },
    lm,
    ledger,
    options,
  );
}

/**
 * Sends `request` and reads the answer with the output adapter (`adaptAnswer`: markers, JSON, or the
 * whole text of a single output field); when that fails, asks once more for JSON. Both A/B arms use
 * it, so neither gets a format advantage the other lacks.
 */
export async function answerWithRetry(
  signature: Signature,
  request: LmRequest,
  lm: LanguageModel,
  ledger: CallLedger,
  options: Pick<PredictOptions, "kind" | "signal">,
): Promise<Prediction> {
  const first = await ledger.call(lm, options.kind, request, options.signal);
  const parsed = adaptAnswer(signature, first.text);
  if (parsed)
    return {
      kind: "parsed",
      outputs: parsed,
      latencyMs: latencyOf(first),
      costUsd: costOf(first),
      retried: false,
    };
  const retry = await ledger.call(
    lm,
    options.kind,
    {
      ...request,
      messages: [
        ...request.messages,
        { role: "assistant", content: first.text },
        { role: "user", content: jsonRetryMessage(signature) },
      ],
    },
    options.signal,
  );
  const latencyMs = latencyOf(first) + latencyOf(retry);
  const costUsd = addCost(costOf(first), retry);
  const json = adaptAnswer(signature, retry.text);
  if (json) return { kind: "parsed", outputs: json, latencyMs, costUsd, retried: true };
  return { kind: "parse_failed", text: retry.text, latencyMs, costUsd };
}
