import { estimateCallCost } from "./estimate-call-cost.js";
import { ProviderError, type LanguageModel, type LmResponse } from "./language-model.js";

/** A spending limit shared by every model wrapped with it; `spentUsd` grows as calls return. */
export interface Budget {
  readonly limitUsd: number;
  spentUsd: number;
  /** Worst-case cost of the calls in flight, held until each returns (see {@link withBudget}). */
  reservedUsd: number;
  /** Calls whose model is not in the price table: their cost is unknown and not counted. */
  unpricedCalls: number;
}

/** A budget of `limitUsd` dollars, nothing spent yet. */
export function createBudget(limitUsd: number): Budget {
  return { limitUsd, spentUsd: 0, reservedUsd: 0, unpricedCalls: 0 };
}

const usd = (n: number) => `$${n.toFixed(4)}`;

/**
 * Before sending, reserves the call's worst case ({@link estimateCallCost}: its prompt tokens and
 * `maxTokens` at the price table's rates) and refuses the call (ProviderError `budget_exhausted`,
 * nothing sent) when the spend, the reservations of calls in flight and this reservation would pass
 * the limit, or the spend already reached it. When the call returns, the reservation is released
 * and the actual cost added, so the spend never passes the limit, concurrent calls included. A
 * model missing from the price table reserves nothing (its cost is unknown; `unpricedCalls`).
 */
export function withBudget(lm: LanguageModel, budget: Budget): LanguageModel {
  const refuse = (message: string) =>
    Promise.reject(new ProviderError("budget_exhausted", message, lm.provider));
  return {
    provider: lm.provider,
    simulated: lm.simulated,
    ...(lm.endpoint !== undefined ? { endpoint: lm.endpoint } : {}),
    complete(request, signal) {
      const spent = `spent ${usd(budget.spentUsd)} of $${budget.limitUsd.toFixed(2)}`;
      if (budget.spentUsd >= budget.limitUsd)
        return refuse(`budget exhausted: ${spent}; raise --budget-usd to continue`);
      // Without a limit there is nothing to reserve (the run still adds up its spend): skip the estimate.
      const reserve =
        budget.limitUsd === Number.POSITIVE_INFINITY ? 0 : (estimateCallCost(request).costUsd ?? 0);
      if (budget.spentUsd + budget.reservedUsd + reserve > budget.limitUsd) {
        const held =
          budget.reservedUsd > 0 ? ` (${usd(budget.reservedUsd)} held by calls in flight)` : "";
        return refuse(
          `budget exhausted: ${spent}${held}; the next call to ${request.model} could cost up to ${usd(reserve)} (its prompt and max_tokens ${request.maxTokens}); raise --budget-usd to continue`,
        );
      }
      budget.reservedUsd += reserve;
      const release = () => {
        budget.reservedUsd = Math.max(0, budget.reservedUsd - reserve);
      };
      // A `then` rather than an async function: one frame fewer on every LM call (engine-overhead bench).
      let sent: Promise<LmResponse>;
      try {
        sent = lm.complete(request, signal);
      } catch (error) {
        sent = Promise.reject(error);
      }
      return sent.then(
        (response) => {
          release();
          if (response.costUsd === null) budget.unpricedCalls += 1;
          else budget.spentUsd += response.costUsd;
          return response;
        },
        (error: unknown) => {
          release();
          throw error;
        },
      );
    },
  };
}
