import type { LanguageModel, LmResponse } from "../providers/index.js";
import type { CallKind, CallLedger } from "./call-ledger.js";
import {
  chatMessages,
  jsonRetryMessage,
  parseJsonAnswer,
  parseMarkers,
  systemMessage,
} from "./chat-adapter.js";
import type { Fields, Program } from "./example.js";

/** How a program is called: the model, token limit, and accounting labels. */
export interface PredictOptions {
  model: string;
  /** @default 1024 */
  maxTokens?: number;
  /** @default 0 */
  temperature?: number;
  /** Per-attempt timeout of each call in ms (`hybrid_config.optimized_timeout_ms` for the optimized variant). @default the provider's */
  timeoutMs?: number;
  /** A distinct rollout (DSPy's `rollout_id`): bypasses the LM-call cache, a fresh sample. @default none */
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
 * user/assistant pairs, final user message), parses the marker answer, and when that fails asks
 * once more for JSON. Provider errors (including the call budget) propagate.
 */
export async function predict(
  program: Program,
  inputs: Fields,
  lm: LanguageModel,
  ledger: CallLedger,
  options: PredictOptions,
): Promise<Prediction> {
  const system = systemMessage(program.signature, program.instructions);
  const messages = chatMessages(program.signature, program.demos, inputs);
  const base = {
    model: options.model,
    system,
    maxTokens: options.maxTokens ?? 1024,
    temperature: options.temperature ?? 0,
    ...(options.rolloutId !== undefined ? { rolloutId: options.rolloutId } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.step ? { step: options.step } : {}),
  };
  const first = await ledger.call(lm, options.kind, { ...base, messages }, options.signal);
  const parsed = parseMarkers(program.signature, first.text);
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
      ...base,
      messages: [
        ...messages,
        { role: "assistant", content: first.text },
        { role: "user", content: jsonRetryMessage(program.signature) },
      ],
    },
    options.signal,
  );
  const latencyMs = latencyOf(first) + latencyOf(retry);
  const costUsd = addCost(costOf(first), retry);
  const json =
    parseJsonAnswer(program.signature, retry.text) ?? parseMarkers(program.signature, retry.text);
  if (json) return { kind: "parsed", outputs: json, latencyMs, costUsd, retried: true };
  return { kind: "parse_failed", text: retry.text, latencyMs, costUsd };
}
