/** One scored candidate of a search. */
export interface SearchTrial {
  /** 0 is the default program; then in the order they were scored. */
  trial: number;
  /** `minibatch`: scored on a minibatch of the valset; `full`: on all of it. */
  kind: "default" | "minibatch" | "full";
  /** Index of the instruction candidate (0 the original), when the search has that dimension. */
  instruction?: number;
  /** Index of the demo-set candidate (a bootstrap seed), when the search has that dimension. */
  demo_set?: number;
  /** Mean metric score on the examples scored. */
  score: number;
  /** Examples scored. */
  n: number;
}

/**
 * What a search did, filled in by the optimizer as it goes (the program metadata's `search`): its
 * trials, the best full-validation score, and whether the budget covered its minimum search.
 */
export interface SearchLog {
  trials: SearchTrial[];
  /** Best mean score of a fully evaluated candidate on the validation examples; null when none was. */
  best_score: number | null;
  /** The candidate returned (indices as in `trials`); null when none was fully scored. */
  best?: { instruction?: number; demo_set?: number } | null;
  /** LM calls the minimum search needs (MIPROv2: default + one trial per instruction; random search: every seed once). */
  minimum_calls: number;
  /**
   * True when the call budget could not cover the minimum search: the program is not the result of
   * a search and says so instead of passing for one.
   */
  under_budget: boolean;
  /** Why, in words, when `under_budget`. */
  reason?: string;
  /** The instruction candidates (MIPROv2), candidate 0 first. */
  instructions?: string[];
}

/** An empty log, for a caller that wants to read what the optimizer did. */
export function createSearchLog(): SearchLog {
  return { trials: [], best_score: null, minimum_calls: 0, under_budget: false };
}

/** Marks the log under budget with the reason (idempotent: the first reason stays). */
export function markUnderBudget(log: SearchLog | undefined, reason: string): void {
  if (!log || log.under_budget) return;
  log.under_budget = true;
  log.reason = reason;
}
