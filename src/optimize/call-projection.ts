import { estimateCallCost, estimateTokens, type LmRequest } from "../providers/index.js";
import type { CallKind } from "./call-ledger.js";
import { assistantMessage, chatMessages, systemMessage } from "./chat-adapter.js";
import type { Example, Program } from "./example.js";

/** LM calls an optimization is projected to send (with an empty cache), their tokens and dollars. */
export interface CallProjection {
  calls: Record<CallKind, number>;
  total_calls: number;
  /** The most calls it can send: every bootstrap trace failing for `max_rounds` rounds. */
  max_calls: number;
  input_tokens: number;
  output_tokens: number;
  /** USD at the price table's rates; null when a model is not in the table. */
  cost_usd: number | null;
}

/** An empty projection. */
export function emptyProjection(): CallProjection {
  return {
    calls: { teacher: 0, proposal: 0, evaluation: 0, judge: 0, ab: 0, step: 0 },
    total_calls: 0,
    max_calls: 0,
    input_tokens: 0,
    output_tokens: 0,
    cost_usd: 0,
  };
}

/** Adds `calls` calls like `request`, each answering `outputTokens` tokens. */
export function addCalls(
  into: CallProjection,
  kind: CallKind,
  request: LmRequest,
  calls: number,
  outputTokens: number,
): void {
  if (calls <= 0) return;
  const one = estimateCallCost(request, { outputTokens, tokens: "expected" });
  into.calls[kind] += calls;
  into.total_calls += calls;
  into.max_calls += calls;
  into.input_tokens += one.inputTokens * calls;
  into.output_tokens += one.outputTokens * calls;
  into.cost_usd =
    into.cost_usd === null || one.costUsd === null ? null : into.cost_usd + one.costUsd * calls;
}

/** Adds `b` into `a` (both changed in place: `a`). */
export function mergeProjection(a: CallProjection, b: CallProjection): CallProjection {
  for (const kind of Object.keys(a.calls) as CallKind[]) a.calls[kind] += b.calls[kind];
  a.total_calls += b.total_calls;
  a.max_calls += b.max_calls;
  a.input_tokens += b.input_tokens;
  a.output_tokens += b.output_tokens;
  a.cost_usd = a.cost_usd === null || b.cost_usd === null ? null : a.cost_usd + b.cost_usd;
  return a;
}

/** The request `predict` sends for a program on one example (the real prompt, as the ChatAdapter renders it). */
export function predictRequest(program: Program, example: Example, model: string): LmRequest {
  return {
    model,
    system: systemMessage(program.signature, program.instructions),
    messages: chatMessages(program.signature, program.demos, example.inputs),
    maxTokens: 1024,
    temperature: 0,
  };
}

/**
 * Adds `calls` calls of `program` spread evenly over `examples` (a scoring pass, a minibatch schedule,
 * teacher traces): each example's real prompt, answered with its labelled outputs' length.
 */
export function addProgramCalls(
  into: CallProjection,
  kind: CallKind,
  program: Program,
  examples: Example[],
  calls: number,
  model: string,
): void {
  if (calls <= 0 || examples.length === 0) return;
  const per = calls / examples.length;
  const part = emptyProjection();
  for (const example of examples) {
    const output = estimateTokens(assistantMessage(program.signature, example.outputs));
    addCalls(part, kind, predictRequest(program, example, model), 1, output);
  }
  into.calls[kind] += calls;
  into.total_calls += calls;
  into.max_calls += calls;
  into.input_tokens += Math.round(part.input_tokens * per);
  into.output_tokens += Math.round(part.output_tokens * per);
  into.cost_usd =
    into.cost_usd === null || part.cost_usd === null ? null : into.cost_usd + part.cost_usd * per;
}
