/** `hybrid_config` with every default filled in once (an explicit `false` wins: `??`, never `||`). */
export interface HybridSettings {
  intelligentRouting: boolean;
  abTestingEnabled: boolean;
  performanceThreshold: number;
  fallbackEnabled: boolean;
  optimizedTimeoutMs: number;
  /** Share of A/B inputs on which the arm Thompson sampling did not pick also runs (paired evidence). */
  minPairShare: number;
  /** Error bound of the always-valid sequential test that ends an A/B. */
  alpha: number;
  /** `hybrid_config.online_judge` with its rubric filled in; null: no judge, so the A/B route is a canary. */
  onlineJudge: { model?: string; rubric: string } | null;
  /** Share of inputs the canary (A/B without a judge) sends to the optimized program. */
  canaryShare: number;
}

/** The rubric of `online_judge` when none is given (the design's question, without a reference). */
export const DEFAULT_JUDGE_RUBRIC = "Which answer better does what the step asks for this input?";

export interface HybridConfigInput {
  intelligent_routing?: boolean;
  ab_testing_enabled?: boolean;
  performance_threshold?: number;
  fallback_enabled?: boolean;
  optimized_timeout_ms?: number;
  online_judge?: { model?: string; rubric?: string };
}

/** `dspy_config.fallback_strategy: fail` turns fallback off unless `hybrid_config.fallback_enabled` says otherwise. */
export function hybridSettings(
  config: HybridConfigInput | undefined,
  dspy?: { fallback_strategy?: "traditional" | "fail" },
): HybridSettings {
  return {
    intelligentRouting: config?.intelligent_routing ?? true,
    abTestingEnabled: config?.ab_testing_enabled ?? true,
    performanceThreshold: config?.performance_threshold ?? 0.1,
    fallbackEnabled: config?.fallback_enabled ?? dspy?.fallback_strategy !== "fail",
    optimizedTimeoutMs: config?.optimized_timeout_ms ?? 60_000,
    minPairShare: 0.1,
    alpha: 0.05,
    onlineJudge: config?.online_judge
      ? {
          ...(config.online_judge.model ? { model: config.online_judge.model } : {}),
          rubric: config.online_judge.rubric ?? DEFAULT_JUDGE_RUBRIC,
        }
      : null,
    canaryShare: 0.2,
  };
}
