import type { ExecutionMode, FallbackReason, RouteDecision } from "../../report/index.js";
import type { AbHistory } from "./ab-history.js";
import type { HybridSettings } from "./hybrid-settings.js";

/**
 * The held-out comparison of a compiled program with the step's own prompt, as routing reads it:
 * Δ (optimized − traditional) with the 95% CI of the paired t test, on `n` examples of the test
 * split or of k-fold cross-fitting; or too few labelled examples for any verdict.
 */
export type HeldoutComparison =
  | {
      kind: "measured";
      delta: number;
      ci95: [number, number];
      n: number;
      split: "test" | "cross_fit";
      /** k of the cross-fitting; null for a test split. */
      folds: number | null;
      metric: string;
    }
  | { kind: "needs_more_data"; n: number; floor: number; metric: string };

/** What is known about a step's optimized program when routing. */
export type ProgramEvidence =
  | { kind: "compiled"; heldout: HeldoutComparison }
  | { kind: "unavailable"; reason: FallbackReason; detail: string };

export interface RouteInput {
  mode: ExecutionMode;
  /** The step's own `execution_mode`, if set. */
  stepMode?: "traditional" | "dspy_optimized" | "hybrid";
  /** undefined: the step has no signature, so there is nothing to optimize. */
  program?: ProgramEvidence;
  history: AbHistory;
  settings: HybridSettings;
}

export type Routing = RouteDecision & {
  fallback: { reason: FallbackReason; detail: string } | null;
};

const traditional = (reason: string, estimated_benefit: number | null = null): Routing => ({
  route: "traditional",
  reason,
  estimated_benefit,
  fallback: null,
});

const signed = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(3)}`;

/** Where the evidence comes from, for reasons: `48 cross-fitted examples (5 folds), exact_match`. */
export function describeHeldout(heldout: HeldoutComparison): string {
  if (heldout.kind === "needs_more_data")
    return `${heldout.n} labelled examples (< ${heldout.floor}: needs more data), ${heldout.metric}`;
  const where =
    heldout.split === "test"
      ? `${heldout.n} test examples`
      : `${heldout.n} cross-fitted examples (${heldout.folds} folds)`;
  return `${where}, ${heldout.metric}`;
}

/**
 * Decides how a step runs (pure). Hybrid routing reads the held-out 95% CI of Δ against
 * `performance_threshold` t: optimized when its lower bound exceeds t, traditional when its upper bound
 * is below t, A/B in between (traditional when A/B testing is off). The reason names the bound, n,
 * split and metric. Online A/B results only decide where the held-out evidence leaves it open.
 */
export function routeStep(input: RouteInput): Routing {
  const mode = input.stepMode ?? input.mode;
  if (input.stepMode === "traditional") return traditional("step sets execution_mode: traditional");
  if (mode === "traditional") return traditional(`mode ${input.mode}`);
  if (!input.program) return traditional("no signature: nothing to optimize");
  if (input.program.kind === "unavailable") {
    const { reason, detail } = input.program;
    return {
      route: "traditional",
      reason: `fallback: ${reason} (${detail})`,
      estimated_benefit: null,
      fallback: { reason, detail },
    };
  }
  const { heldout } = input.program;
  const benefit = heldout.kind === "measured" ? heldout.delta : null;
  if (mode === "evaluation")
    return {
      route: "ab",
      reason: `evaluation mode: both variants on ${describeHeldout(heldout)}`,
      estimated_benefit: benefit,
      fallback: null,
    };
  if (mode === "dspy_optimized")
    return {
      route: "optimized",
      reason: "mode dspy_optimized: compiled program available",
      estimated_benefit: benefit,
      fallback: null,
    };
  return routeHybrid(heldout, input);
}

function routeHybrid(heldout: HeldoutComparison, { history, settings }: RouteInput): Routing {
  const t = settings.performanceThreshold;
  const benefit = heldout.kind === "measured" ? heldout.delta : null;
  const decided = (route: "optimized" | "traditional" | "ab", reason: string): Routing => ({
    route,
    reason,
    estimated_benefit: benefit,
    fallback: null,
  });
  if (!settings.intelligentRouting)
    return settings.abTestingEnabled
      ? decided("ab", "intelligent_routing off: A/B")
      : decided("optimized", "intelligent_routing off: optimized");
  const evidence = describeHeldout(heldout);
  if (heldout.kind === "measured") {
    const [low, high] = heldout.ci95;
    const ci = `held-out Δ ${signed(heldout.delta)}, 95% CI [${signed(low)}, ${signed(high)}] on ${evidence}`;
    if (low > t) return decided("optimized", `${ci}: lower bound ${signed(low)} > threshold ${t}`);
    if (high < t)
      return decided("traditional", `${ci}: upper bound ${signed(high)} < threshold ${t}`);
    return undecided(`${ci}: the CI contains threshold ${t}`);
  }
  return undecided(evidence);

  function undecided(why: string): Routing {
    if (history.decided === "optimized" || history.decided === "traditional")
      return decided(
        history.decided,
        `${why}; online A/B decided for ${history.decided} after ${history.pairs} pairs (always-valid p = ${history.sequential.pValue.toPrecision(2)})`,
      );
    return settings.abTestingEnabled
      ? decided("ab", `${why}: A/B`)
      : decided("traditional", `${why} (A/B testing off: traditional)`);
  }
}
