import type { MetricSpec } from "../../config/index.js";
import {
  CallLedger,
  createMetric,
  evaluatePaired,
  loadTrainingData,
  splitTrainDev,
  type ArmTally,
} from "../../optimize/index.js";
import { buildAbBlock } from "../../report/index.js";
import type { LanguageModel } from "../../providers/index.js";
import type { AbBlock } from "../../report/index.js";
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
 * Evaluation mode for one step: the traditional prompt and the compiled program on the same dev inputs
 * (the seeded split the program was compiled with), scored by the step's metric, as the report's `ab` block.
 */
export async function evaluateStep(
  step: RawStep,
  ctx: ExecContext,
  program: StepProgram & { compiled: NonNullable<StepProgram["compiled"]> },
  deps: { lm: LanguageModel; faults: ArmFaults; seed: number; threshold: number },
): Promise<AbBlock> {
  const { meta } = program.compiled;
  const data = await loadTrainingData({
    workdir: ctx.workdir,
    path: ctx.workflow.dspy_config?.training_data_path ?? "training_data",
    step: step.name,
    signature: program.signature,
  });
  if (data.kind !== "loaded")
    throw new Error(`training data of step '${step.name}' changed while the run started`);
  const { devset } = splitTrainDev(data.examples, meta.params.seed);
  const ledger = new CallLedger();
  const metric = createMetric(step.metric as MetricSpec | undefined, {
    lm: deps.lm,
    ledger,
    defaultModel: program.model,
  });
  const evaluation = await evaluatePaired({
    step,
    program: program.compiled.program,
    devset,
    lm: deps.lm,
    ledger,
    model: program.model,
    metric,
    concurrency: ctx.concurrency,
  });
  const failures = {
    traditional: tallyFaults(evaluation.traditional, deps.faults.traditional),
    optimized: tallyFaults(evaluation.optimized, deps.faults.optimized),
  };
  return buildAbBlock({
    source: "evaluation",
    metric: metric.name,
    pairs: evaluation.pairs,
    seed: deps.seed,
    failures,
    threshold: deps.threshold,
  });
}
