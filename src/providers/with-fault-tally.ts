import {
  ProviderError,
  type LanguageModel,
  type LmResponse,
  type ProviderErrorCode,
} from "./language-model.js";

/** Failed provider attempts by kind: the report's `provider_faults`. */
export type FaultTally = Partial<Record<ProviderErrorCode, number>>;

/** Codes that are the run's own decisions, not faults of the provider. */
const NOT_PROVIDER_FAULTS: ReadonlySet<ProviderErrorCode> = new Set([
  "budget_exhausted",
  "not_configured",
  "replay_miss",
]);

function add(tally: FaultTally, codes: readonly ProviderErrorCode[]): void {
  for (const code of codes) tally[code] = (tally[code] ?? 0) + 1;
}

/**
 * Counts every failed attempt the provider saw, by kind: those the SDK's retries recovered from
 * (`LmResponse.faults`), and for a call that failed, its earlier attempts and the final fault. Put it
 * inside the LM-call cache so cache hits are not counted again.
 */
export function withFaultTally(lm: LanguageModel, tally: FaultTally): LanguageModel {
  return {
    provider: lm.provider,
    simulated: lm.simulated,
    ...(lm.endpoint !== undefined ? { endpoint: lm.endpoint } : {}),
    complete(request, signal) {
      // A `then` rather than an async function: one frame fewer on every LM call (engine-overhead bench).
      let sent: Promise<LmResponse>;
      try {
        sent = lm.complete(request, signal);
      } catch (error) {
        sent = Promise.reject(error);
      }
      return sent.then(
        (response) => {
          if (response.faults) add(tally, response.faults);
          return response;
        },
        (error: unknown) => {
          if (error instanceof ProviderError && !NOT_PROVIDER_FAULTS.has(error.code))
            add(tally, [...error.earlierFaults, error.code]);
          throw error;
        },
      );
    },
  };
}
