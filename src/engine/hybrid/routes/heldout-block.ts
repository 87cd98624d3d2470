import type { AbBlock } from "../../../report/index.js";
import { evaluateStep } from "../evaluate-step.js";
import type { Compiled, RouteCall, RouteKit } from "./route-kit.js";

/**
 * The step's held-out comparison as an `ab` block, built once per step and run from the evidence its
 * program was compiled with (no LM call): every route reports it, so a step routed `optimized` or
 * `traditional` shows the numbers its route was chosen on.
 */
export function heldoutBlock(call: RouteCall, kit: RouteKit, program: Compiled): Promise<AbBlock> {
  const key = `${call.ctx.file}#${call.step.name}`;
  let block = kit.evaluations.get(key);
  if (!block) {
    block = evaluateStep(call.step, call.ctx, program, {
      lm: kit.optimizeLm,
      faults: kit.faults,
      seed: kit.seed,
      threshold: call.settings.performanceThreshold,
    });
    kit.evaluations.set(key, block);
  }
  return block;
}
