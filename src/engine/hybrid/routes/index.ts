import type { Route } from "../../../report/index.js";
import { abRoute } from "./ab-route.js";
import { evaluationRoute } from "./evaluation-route.js";
import { optimizedRoute } from "./optimized-route.js";
import type { RouteExecutor } from "./route-kit.js";
import { traditionalRoute } from "./traditional-route.js";

/** The hybrid runner's routes, one file each; `evaluation` is evaluation mode's A/B over labelled data. */
export const routeExecutors: Record<Exclude<Route, "skipped"> | "evaluation", RouteExecutor> = {
  traditional: traditionalRoute,
  optimized: optimizedRoute,
  ab: abRoute,
  evaluation: evaluationRoute,
};

export type { HybridContext, RouteExecutor, RouteKit, Compiled } from "./route-kit.js";
