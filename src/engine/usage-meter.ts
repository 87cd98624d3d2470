import type { LanguageModel, LmResponse } from "../providers/index.js";
import type { UsageMeter } from "./exec-context.js";

/** A meter at zero. */
export function createUsageMeter(): UsageMeter {
  return {
    latencyMs: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    callsSent: 0,
    callsCached: 0,
  };
}

/** True when the LM-call cache served every call the meter saw (and there was at least one). */
export function servedFromCache(meter: Pick<UsageMeter, "callsSent" | "callsCached">): boolean {
  return meter.callsCached > 0 && meter.callsSent === 0;
}

/**
 * Adds each response's latency, tokens and cost to the meter `current()` returns at that moment (the
 * running top-level step's). A response served by the LM-call cache adds the latency and cost of the
 * call that produced it (`uncached`: the step's figures do not depend on what the cache held) and
 * counts as cached, not sent; what the run paid is the budget's business, which never sees a hit.
 * An unpriced model makes the step's cost null.
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
  const original = response.fromCache === true ? (response.uncached ?? response) : response;
  meter.latencyMs += original.latencyMs;
  meter.inputTokens += response.usage.inputTokens;
  meter.outputTokens += response.usage.outputTokens;
  if (response.fromCache === true) meter.callsCached += 1;
  else meter.callsSent += 1;
  meter.costUsd =
    meter.costUsd === null || original.costUsd === null ? null : meter.costUsd + original.costUsd;
  return response;
}
