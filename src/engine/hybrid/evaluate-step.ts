import { splitSettings, type ArmTally, type CompiledProgram } from "../../optimize/index.js";
import { buildAbBlock } from "../../report/index.js";
import type { LanguageModel } from "../../providers/index.js";
import type { AbBlock, Regression } from "../../report/index.js";
import type { ExecContext, RawStep } from "../exec-context.js";
import type { StepProgram } from "./step-program.js";

/** Faults seen per arm, by error code (the report's `errors`). */
export interface ArmFaults {
  traditional: Record<string, number>;
  optimized: Record<string, number>;
}

export function countFault(faults: Record<string, number>, code: string, n = 1): void {
  if (n > 0) faults[code] = (faults[code] ?? 0) + n;
}

function tallyFaults(tally: ArmTally, into: Record<string, number>): number {
  for (const [code, n] of Object.entries(tally.errors)) countFault(into, code, n);
  countFault(into, "parse_failed", tally.parseFailures);
  return Object.values(tally.errors).reduce((a, b) => a + b, 0) + tally.parseFailures;
}

/**
 * The held-out record's regressions in the report's shape (undefined for a program cached before
 * they were recorded, so the report does not claim there were none).
 */
export function heldoutRegressions(meta: CompiledProgram["meta"]): Regression[] | undefined {
  // Below the floor nothing was scored held-out: "none found" would be a claim.
  if (meta.heldout.split === "none") return undefined;
  return meta.heldout.regressions?.map((r) => ({
    id: r.id,
    ...(r.input !== undefined ? { input: r.input } : {}),
    traditional: { answer: r.traditional.answer, score: r.traditional.score },
    optimized: { answer: r.optimized.answer, score: r.optimized.score },
  }));
}

/**
 * Evaluation mode for one step: the held-out comparison its program was compiled with (test split, or
 * k-fold cross-fitting: every example scored by a program that never saw it), as the report's `ab`
 * block with its split, n, verdict and per-arm validity. Never a selection (validation) score.
 */
export async function evaluateStep(
  step: RawStep,
  ctx: ExecContext,
  program: StepProgram & { compiled: NonNullable<StepProgram["compiled"]> },
  deps: { lm: LanguageModel; faults: ArmFaults; seed: number; threshold: number },
): Promise<AbBlock> {
  const { meta } = program.compiled;
  const { heldout } = meta;
  const failures = {
    traditional: tallyFaults(heldout.traditional, deps.faults.traditional),
    optimized: tallyFaults(heldout.optimized, deps.faults.optimized),
  };
  // The split settings say how many new labelled examples a test split gains (the report's `needed`).
  const split = splitSettings(ctx.workflow.dspy_config);
  return buildAbBlock({
    source: "evaluation",
    metric: meta.metric,
    pairs: heldout.pairs,
    seed: deps.seed,
    failures,
    threshold: deps.threshold,
    heldout: {
      split: heldout.split,
      folds: heldout.folds,
      n_labelled: heldout.n_labelled,
      n_train: meta.n_train,
      n_validation: meta.n_validation,
      floor: heldout.min_labelled,
      parse_failures: {
        traditional: heldout.traditional.parseFailures,
        optimized: heldout.optimized.parseFailures,
      },
      repeats: heldout.repeats ?? 1,
      ids: heldout.ids,
      test_fraction: split.testFraction,
      min_test_examples: split.minTestExamples,
      ...(heldout.pass_rates
        ? { pass_rates: heldout.pass_rates.map((r, i) => ({ id: heldout.ids[i]!, ...r })) }
        : {}),
    },
  });
}
