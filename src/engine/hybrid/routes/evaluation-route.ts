import { executeLlmStep } from "../../step-executors/index.js";
import { heldoutBlock } from "./heldout-block.js";
import type { RouteExecutor } from "./route-kit.js";
import { compiledOf, outcome } from "./route-kit.js";

/**
 * Evaluation mode: both variants over the step's labelled data, once per step and run (the `ab` block),
 * while the step itself runs its own prompt.
 */
export const evaluationRoute: RouteExecutor = async (call, kit) => {
  const program = compiledOf(call);
  const [ab, run] = await Promise.all([
    heldoutBlock(call, kit, program),
    executeLlmStep(call.step, call.ctx),
  ]);
  return outcome(run.result, call.routing, program.source, {
    ab,
    // Below the floor nothing was scored: no quality rather than a 0.
    quality: ab.n > 0 ? ab.optimized.mean : null,
  });
};
