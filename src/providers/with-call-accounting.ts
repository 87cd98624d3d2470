import type { LanguageModel, LmPurpose } from "./language-model.js";

/** Calls actually sent, per purpose: the report's `lm_calls`. */
export type LmCallCounter = Record<LmPurpose, number>;

/** A counter at zero for every purpose. */
export function createLmCallCounter(): LmCallCounter {
  return { step: 0, optimize: 0, evaluate: 0, judge: 0 };
}

/**
 * Counts each call this wrapper passes on, under its `purpose` (default `step`), when it is sent,
 * failures included. Put it inside the LM-call cache
 * (`withLmCallCache(withCallAccounting(lm, counter), store)`) so that cache hits never reach it.
 */
export function withCallAccounting(lm: LanguageModel, counter: LmCallCounter): LanguageModel {
  return {
    provider: lm.provider,
    simulated: lm.simulated,
    ...(lm.endpoint !== undefined ? { endpoint: lm.endpoint } : {}),
    complete(request, signal) {
      counter[request.purpose ?? "step"] += 1;
      return lm.complete(request, signal);
    },
  };
}
