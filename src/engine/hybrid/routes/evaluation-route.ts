import { executeLlmStep } from "../../step-executors/index.js";
import { evaluateStep, heldoutRegressions } from "../evaluate-step.js";
import type { RouteExecutor } from "./route-kit.js";
import { compiledOf, outcome } from "./route-kit.js";

/**
 * Evaluation mode: both variants over the step's labelled data, once per step and run (the `ab` block),
 * while the step itself runs its own prompt.
 */
export const evaluationRoute: RouteExecutor = async (call, kit) => {
  const { step, ctx } = call;
  const program = compiledOf(call);
  const key = `${ctx.file}#${step.name}`;
  let block = kit.evaluations.get(key);
  if (!block) {
    block = evaluateStep(step, ctx, program, {
      lm: kit.optimizeLm,
      faults: kit.faults,
      seed: kit.seed,
      threshold: call.settings.performanceThreshold,
    });
    kit.evaluations.set(key, block);
  }
  const [ab, run] = await Promise.all([block, executeLlmStep(step, ctx)]);
  const regressions = heldoutRegressions(program.compiled.meta);
  return outcome(run.result, call.routing, program.source, {
    ab,
    quality: ab.optimized.mean,
    ...(regressions ? { regressions } : {}),
  });
};
