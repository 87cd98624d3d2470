import { ProviderError, type LanguageModel, type LmResponse } from "./language-model.js";

/** A spending limit shared by every model wrapped with it; `spentUsd` grows as calls return. */
export interface Budget {
  readonly limitUsd: number;
  spentUsd: number;
  /** Calls whose model is not in the price table: their cost is unknown and not counted. */
  unpricedCalls: number;
}

/** A budget of `limitUsd` dollars, nothing spent yet. */
export function createBudget(limitUsd: number): Budget {
  return { limitUsd, spentUsd: 0, unpricedCalls: 0 };
}

/**
 * Refuses to send once `budget.spentUsd >= budget.limitUsd` (ProviderError `budget_exhausted`,
 * nothing sent), and adds each response's cost. Calls already in flight when the limit is reached
 * still complete, so the spend can pass the limit by at most the calls running concurrently.
 */
export function withBudget(lm: LanguageModel, budget: Budget): LanguageModel {
  return {
    provider: lm.provider,
    simulated: lm.simulated,
    ...(lm.endpoint !== undefined ? { endpoint: lm.endpoint } : {}),
    complete(request, signal) {
      if (budget.spentUsd >= budget.limitUsd) {
        const spent = `$${budget.spentUsd.toFixed(4)} of $${budget.limitUsd.toFixed(2)}`;
        return Promise.reject(
          new ProviderError(
            "budget_exhausted",
            `budget exhausted: spent ${spent}; raise --budget-usd to continue`,
            lm.provider,
          ),
        );
      }
      // A `then` rather than an async function: one frame fewer on every LM call (engine-overhead bench).
      let sent: Promise<LmResponse>;
      try {
        sent = lm.complete(request, signal);
      } catch (error) {
        sent = Promise.reject(error);
      }
      return sent.then((response) => {
        if (response.costUsd === null) budget.unpricedCalls += 1;
        else budget.spentUsd += response.costUsd;
        return response;
      });
    },
  };
}
