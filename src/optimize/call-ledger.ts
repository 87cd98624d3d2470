import {
  ProviderError,
  type LanguageModel,
  type LmPurpose,
  type LmRequest,
  type LmResponse,
} from "../providers/index.js";

/**
 * Why a call was made: teacher traces, instruction proposals, scoring candidates on dev (all
 * `optimize` calls in the run report), a judge, an A/B arm of evaluation mode (`evaluate`), or a
 * compiled program answering a step of a run (`step`).
 */
export type CallKind = "teacher" | "proposal" | "evaluation" | "judge" | "ab" | "step";

const purposeOf: Record<CallKind, LmPurpose> = {
  teacher: "optimize",
  proposal: "optimize",
  evaluation: "optimize",
  judge: "judge",
  ab: "evaluate",
  step: "step",
};

/** Calls sent (cache hits excluded), tokens and cost, per kind; reported with every compile. */
export interface CallUsage {
  calls: Record<CallKind, number>;
  total_calls: number;
  input_tokens: number;
  output_tokens: number;
  /** null when any call's model had no price. */
  cost_usd: number | null;
}

/** Thrown before a call that would exceed `--budget-calls`; optimizers stop and keep what they have. */
export class CallBudgetExhausted extends ProviderError {
  constructor(limit: number) {
    super("budget_exhausted", `the LM-call budget of ${limit} calls is used up`, "sim");
  }
}

/**
 * Counts the calls an optimization sends and enforces a hard call budget. A slot is reserved before
 * each call (so concurrent calls can never overshoot) and released when the answer came from the
 * LM-call cache, because a cache hit sends nothing.
 */
export class CallLedger {
  readonly #limit: number;
  #reserved = 0;
  readonly usage: CallUsage = {
    calls: { teacher: 0, proposal: 0, evaluation: 0, judge: 0, ab: 0, step: 0 },
    total_calls: 0,
    input_tokens: 0,
    output_tokens: 0,
    cost_usd: 0,
  };

  /** @param limit maximum calls sent; Infinity for no limit. */
  constructor(limit = Number.POSITIVE_INFINITY) {
    this.#limit = limit;
  }

  /** Calls still allowed. */
  get remaining(): number {
    return this.#limit - this.#reserved;
  }

  /**
   * A ledger limited to `limit` further calls whose calls also count (and are limited) here, so an
   * optimizer can be given part of the budget while the rest stays reserved for scoring.
   */
  child(limit: number): CallLedger {
    const child = new CallLedger(limit);
    child.#parent = this;
    return child;
  }

  #parent: CallLedger | undefined;

  /** Sends `request` through `lm` as a call of `kind`; rejects with {@link CallBudgetExhausted} at the limit. */
  async call(
    lm: LanguageModel,
    kind: CallKind,
    request: LmRequest,
    signal?: AbortSignal,
  ): Promise<LmResponse> {
    if (this.#reserved >= this.#limit) throw new CallBudgetExhausted(this.#limit);
    if (this.#parent) {
      this.#reserved++;
      try {
        const response = await this.#parent.call(lm, kind, request, signal);
        if (response.fromCache) this.#reserved--;
        return response;
      } catch (error) {
        if (isBudgetExhausted(error)) this.#reserved--;
        throw error;
      }
    }
    this.#reserved++;
    let response: LmResponse;
    try {
      response = await lm.complete({ ...request, purpose: purposeOf[kind] }, signal);
    } catch (error) {
      // A failed call may still have been sent and billed; it keeps its slot.
      this.usage.calls[kind]++;
      this.usage.total_calls++;
      throw error;
    }
    if (response.fromCache) {
      this.#reserved--;
      return response;
    }
    this.usage.calls[kind]++;
    this.usage.total_calls++;
    this.usage.input_tokens += response.usage.inputTokens;
    this.usage.output_tokens += response.usage.outputTokens;
    this.usage.cost_usd =
      this.usage.cost_usd === null || response.costUsd === null
        ? null
        : this.usage.cost_usd + response.costUsd;
    return response;
  }
}

/** True for the error the ledger throws at the budget. */
export function isBudgetExhausted(error: unknown): boolean {
  return error instanceof ProviderError && error.code === "budget_exhausted";
}
