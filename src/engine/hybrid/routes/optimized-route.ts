import type { RouteExecutor } from "./route-kit.js";
import { compiledOf, fallBack, keepSessionTurn, optimizedRun, outcome } from "./route-kit.js";

/** The compiled program; a failed or timed-out run falls back to the step's own prompt and says why. */
export const optimizedRoute: RouteExecutor = async (call, kit) => {
  const run = await optimizedRun(call);
  if (!run.ok) return fallBack(call, kit, run);
  await keepSessionTurn(call.step, call.ctx, run.result);
  return outcome(run.result, call.routing, compiledOf(call).source);
};
