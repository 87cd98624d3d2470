import type { ExecutionMode, FallbackReason, RouteDecision } from "../../report/index.js";
import { onlineGain, type AbHistory } from "./ab-history.js";
import type { HybridSettings } from "./hybrid-settings.js";

/** What is known about a step's optimized program when routing. */
export type ProgramEvidence =
  | { kind: "compiled"; devGain: number; devN: number }
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

/**
 * The estimated quality gain of the optimized program: its dev-set gain, pooled with the online
 * A/B mean gain, each weighted by its number of observations.
 */
export function estimatedBenefit(
  program: { devGain: number; devN: number },
  history: AbHistory,
): number {
  const online = onlineGain(history);
  const onlineN = history.sequential.n;
  if (online === null) return program.devGain;
  return (program.devGain * program.devN + online * onlineN) / (program.devN + onlineN);
}

/**
 * Decides how a step runs (pure). The thresholds are the design's: benefit above 2× the threshold →
 * optimized; above it → A/B (when enabled); otherwise traditional. A decided sequential test overrides them.
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
  const benefit = estimatedBenefit(input.program, input.history);
  if (mode === "evaluation")
    return {
      route: "ab",
      reason: "evaluation mode: both variants over the dev set",
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
  return routeHybrid(benefit, input);
}

function routeHybrid(benefit: number, { history, settings }: RouteInput): Routing {
  const threshold = settings.performanceThreshold;
  const shown = `estimated benefit ${benefit >= 0 ? "+" : ""}${benefit.toFixed(3)}`;
  const decided = (route: "optimized" | "traditional", reason: string): Routing => ({
    route,
    reason,
    estimated_benefit: benefit,
    fallback: null,
  });
  if (history.decided === "equivalent") {
    return decided(
      "traditional",
      `online A/B found the variants equivalent within ±${threshold} after ${history.pairs} pairs: traditional (no demos to pay for)`,
    );
  }
  if (history.decided) {
    return decided(
      history.decided,
      `online A/B decided for ${history.decided} after ${history.pairs} pairs (always-valid p = ${history.sequential.pValue.toPrecision(2)})`,
    );
  }
  if (!settings.intelligentRouting) {
    return settings.abTestingEnabled
      ? {
          route: "ab",
          reason: "intelligent_routing off: A/B",
          estimated_benefit: benefit,
          fallback: null,
        }
      : decided("optimized", "intelligent_routing off: optimized");
  }
  if (benefit > 2 * threshold) return decided("optimized", `${shown} > 2 × threshold ${threshold}`);
  if (benefit > threshold) {
    return settings.abTestingEnabled
      ? {
          route: "ab",
          reason: `${shown} between threshold ${threshold} and 2 × threshold: A/B`,
          estimated_benefit: benefit,
          fallback: null,
        }
      : decided("optimized", `${shown} > threshold ${threshold} (A/B testing disabled)`);
  }
  return decided("traditional", `${shown} ≤ threshold ${threshold}`);
}
