import type { ScorePair } from "../report/index.js";
import type { CallLedger } from "./call-ledger.js";
import type { Example, Program } from "./example.js";
import { evaluatePaired, type ArmTally } from "./evaluate-paired.js";
import type { CompileContext } from "./optimizer.js";
import type { EvidencePlan, TrainVal } from "./split.js";
import { keepRegressions, type HeldoutRegression } from "./regressions.js";
import type { TraditionalStep } from "./traditional-arm.js";

/**
 * The held-out comparison stored with a compiled program: paired scores of examples that the program
 * scoring them never saw (test split, or cross-fitting folds), per-arm fault and validity tallies.
 * `split: "none"` when there were fewer labelled examples than the floor (no verdict).
 */
export interface HeldoutRecord {
  split: "test" | "cross_fit" | "none";
  /** k of the cross-fitting, else null. */
  folds: number | null;
  /** Labelled examples in all. */
  n_labelled: number;
  /** The floor below which there is no verdict (`min_labelled_examples`). */
  min_labelled: number;
  /** One pair per held-out example, in the order of `ids`. */
  pairs: ScorePair[];
  ids: string[];
  traditional: ArmTally;
  optimized: ArmTally;
  /** Runs of each example per arm (`evaluation_repeats`). */
  repeats: number;
  /** With repeats > 1: per example (in the order of `ids`), each arm's share of passing runs. */
  pass_rates?: Array<{ traditional: number; optimized: number }>;
  /**
   * Up to 5 examples the optimized arm failed and the traditional passed, over all folds (largest
   * drops first), answers redacted and cut. Absent in entries cached before it existed.
   */
  regressions?: HeldoutRegression[];
}

/** What held-out scoring needs besides the plan: the compile context, the step and a compile function. */
export interface HeldoutDeps {
  ctx: CompileContext;
  /** The ledger held-out scoring is charged to (kept apart from the optimizer's budget). */
  ledger: CallLedger;
  step: TraditionalStep;
  baseline: Program;
  /** Compiles a program on a train/validation pair (the optimizer with its own ledger). */
  compile: (data: TrainVal) => Promise<Program>;
  /** Runs per example and arm, and their temperature. @default 1 run at temperature 0 */
  repeats?: number;
  temperature?: number;
  /** Values redacted from the regressions' answers. @default [] */
  secrets?: readonly string[];
}

const merge = (into: ArmTally, from: ArmTally): void => {
  for (const [code, n] of Object.entries(from.errors))
    into.errors[code] = (into.errors[code] ?? 0) + n;
  into.parseFailures += from.parseFailures;
};

/**
 * Compiles the program that ships (on `plan.ship`) and scores both arms on held-out examples only: the
 * test split with that program, or, when cross-fitting, each fold with a program compiled on the other
 * folds (DSPy-style selection included), so no example is ever scored by a program that saw it.
 */
export async function compileWithHeldout(
  plan: EvidencePlan,
  nLabelled: number,
  minLabelled: number,
  deps: HeldoutDeps,
): Promise<{ program: Program; heldout: HeldoutRecord }> {
  const program = await deps.compile(plan.ship);
  const record: HeldoutRecord = {
    split: plan.kind === "needs_more_data" ? "none" : plan.kind,
    folds: plan.kind === "cross_fit" ? plan.folds.length : null,
    n_labelled: nLabelled,
    min_labelled: minLabelled,
    pairs: [],
    ids: [],
    traditional: { errors: {}, parseFailures: 0 },
    optimized: { errors: {}, parseFailures: 0 },
    repeats: Math.max(1, deps.repeats ?? 1),
    regressions: [],
  };
  const score = async (scored: Program, examples: Example[]) => {
    const evaluation = await evaluatePaired({
      step: deps.step,
      program: scored,
      baseline: deps.baseline,
      devset: examples,
      lm: deps.ctx.lm,
      ledger: deps.ledger,
      model: deps.ctx.model,
      metric: deps.ctx.metric,
      concurrency: deps.ctx.concurrency ?? 4,
      repeats: record.repeats,
      temperature: deps.temperature ?? 0,
      ...(deps.secrets ? { secrets: deps.secrets } : {}),
    });
    record.pairs.push(...evaluation.pairs);
    if (evaluation.passRates) (record.pass_rates ??= []).push(...evaluation.passRates);
    record.ids.push(...examples.map((e) => e.id));
    merge(record.traditional, evaluation.traditional);
    merge(record.optimized, evaluation.optimized);
    record.regressions = keepRegressions([...record.regressions!, ...evaluation.regressions]);
  };
  if (plan.kind === "test") await score(program, plan.test);
  if (plan.kind === "cross_fit")
    for (const fold of plan.folds) await score(await deps.compile(fold.train), fold.heldout);
  return { program, heldout: record };
}
