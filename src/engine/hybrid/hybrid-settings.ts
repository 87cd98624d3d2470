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
}

export interface HybridConfigInput {
  intelligent_routing?: boolean;
  ab_testing_enabled?: boolean;
  performance_threshold?: number;
  fallback_enabled?: boolean;
  optimized_timeout_ms?: number;
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
  };
}
