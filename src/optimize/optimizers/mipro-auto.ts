/** MIPROv2's run sizes (`auto`). */
export type MiproAuto = "light" | "medium" | "heavy";

/**
 * DSPy 3.0's `AUTO_RUN_SETTINGS` (stanfordnlp/dspy, dspy/teleprompt/mipro_optimizer_v2.py, 3.0.x):
 * `n` candidates and the validation size per run size.
 */
export const AUTO_RUN_SETTINGS: Record<MiproAuto, { n: number; valSize: number }> = {
  light: { n: 6, valSize: 100 },
  medium: { n: 12, valSize: 300 },
  heavy: { n: 18, valSize: 1000 },
};

/** What a MIPROv2 run will do, before it does it. */
export interface MiproPlan {
  /** Instruction candidates, the original (candidate 0) included. */
  instructionCandidates: number;
  /** Demo-set candidates (the bootstrap seeds: zero-shot, labelled, unshuffled, shuffled...). */
  demoCandidates: number;
  /** Bayesian-search trials after the default program. */
  numTrials: number;
  /** Validation examples used (the valset, cut to `valSize`). */
  valSize: number;
  /** True when trials score a minibatch and the best average is fully evaluated every few trials. */
  minibatch: boolean;
  minibatchSize: number;
  minibatchFullEvalSteps: number;
  /** True when no demos are optimized (max_bootstrapped_demos = max_labeled_demos = 0). */
  zeroShot: boolean;
}

/** Explicit sizes, for a run without `auto` (DSPy's `num_candidates` and `num_trials`). */
export interface MiproSizes {
  auto: MiproAuto | null;
  numCandidates: number | null;
  numTrials: number | null;
  minibatchSize: number;
  minibatchFullEvalSteps: number;
  maxBootstrappedDemos: number;
  maxLabeledDemos: number;
}

/**
 * DSPy 3.0's `_set_num_trials_from_num_candidates`: max(2·M·log2(N), 1.5·N), M the optimized
 * variables (one instruction per predictor, plus one demo set unless zero-shot), truncated.
 */
export function numTrialsFor(numCandidates: number, zeroShot: boolean, predictors = 1): number {
  const vars = predictors * (zeroShot ? 1 : 2);
  return Math.floor(Math.max(2 * vars * Math.log2(numCandidates), 1.5 * numCandidates));
}

/**
 * The plan of a run (DSPy 3.0 `_set_hyperparams_from_run_mode`): with `auto`, N = AUTO_RUN_SETTINGS.n
 * demo sets, N/2 instructions (N when zero-shot: budget goes to demos when they are allowed), the
 * trial formula, and the valset cut to `valSize` — here also capped by the examples there are.
 * Minibatches only when the valset is larger than a minibatch; otherwise every trial is a full
 * evaluation (DSPy 3.0 turns minibatching on only above 50 validation examples, for the same reason).
 */
export function planMipro(sizes: MiproSizes, valsetSize: number): MiproPlan {
  const zeroShot = sizes.maxBootstrappedDemos === 0 && sizes.maxLabeledDemos === 0;
  const auto = sizes.auto === null ? undefined : AUTO_RUN_SETTINGS[sizes.auto];
  const n = auto?.n ?? sizes.numCandidates ?? AUTO_RUN_SETTINGS.light.n;
  const valSize = Math.min(valsetSize, auto?.valSize ?? valsetSize);
  const instructionCandidates = auto ? (zeroShot ? n : Math.floor(n * 0.5)) : n;
  return {
    instructionCandidates: Math.max(1, instructionCandidates),
    demoCandidates: zeroShot ? 1 : Math.max(1, n),
    numTrials: auto ? numTrialsFor(n, zeroShot) : (sizes.numTrials ?? numTrialsFor(n, zeroShot)),
    valSize,
    minibatch: valSize > sizes.minibatchSize,
    minibatchSize: Math.min(sizes.minibatchSize, valSize),
    minibatchFullEvalSteps: Math.max(1, sizes.minibatchFullEvalSteps),
    zeroShot,
  };
}

/**
 * DSPy 3.0's projected calls (`_estimate_lm_calls`) for one predictor: 10 data-summary calls + the
 * instruction candidates + 2 program-aware calls on the prompt model; |val|·trials without
 * minibatches, else minibatch·trials + |val|·(trials // steps + 1) on the task model.
 * Bootstrapping is not in DSPy's estimate.
 */
export function dspyEstimatedCalls(plan: MiproPlan): { prompt: number; task: number } {
  const prompt = 10 + plan.instructionCandidates + 2;
  const task = plan.minibatch
    ? plan.minibatchSize * plan.numTrials +
      plan.valSize * (Math.floor(plan.numTrials / plan.minibatchFullEvalSteps) + 1)
    : plan.valSize * plan.numTrials;
  return { prompt, task };
}
