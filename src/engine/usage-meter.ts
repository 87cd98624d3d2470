import type { LanguageModel, LmResponse } from "../providers/index.js";
import type { UsageMeter } from "./exec-context.js";

/** A meter at zero. */
export function createUsageMeter(): UsageMeter {
  return { latencyMs: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, callsSent: 0 };
}

/**
 * Adds each response's latency, tokens and cost to the meter `current()` returns at that moment (the
 * running top-level step's). A response served by the LM-call cache adds its tokens but no cost and
 * is not a call sent. An unpriced model makes the step's cost null.
 */
export function withUsageMeter(lm: LanguageModel, current: () => UsageMeter): LanguageModel {
  return {
    provider: lm.provider,
    simulated: lm.simulated,
    ...(lm.endpoint !== undefined ? { endpoint: lm.endpoint } : {}),
    complete(request, signal) {
      const meter = current();
      // A `then` rather than an async function: one frame fewer on every LM call (engine-overhead bench).
      try {
        return lm.complete(request, signal).then((response) => addUsage(meter, response));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

function addUsage(meter: UsageMeter, response: LmResponse): LmResponse {
  meter.latencyMs += response.latencyMs;
  meter.inputTokens += response.usage.inputTokens;
  meter.outputTokens += response.usage.outputTokens;
  if (response.fromCache === true) return response;
  meter.callsSent += 1;
  meter.costUsd =
    meter.costUsd === null || response.costUsd === null ? null : meter.costUsd + response.costUsd;
  return response;
}
