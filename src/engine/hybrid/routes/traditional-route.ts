import type { RouteExecutor } from "./route-kit.js";
import { runTraditional } from "./route-kit.js";

/** The step's own prompt (the reason names the program's source when one exists but was not chosen). */
export const traditionalRoute: RouteExecutor = (call) =>
  runTraditional(call, call.routing, call.program?.source ?? "");
