import type { MigrationRule } from "../migration-rule.js";

/** Adds `workflow.hybrid_config` (design section 7's example): mode, routing, A/B testing, threshold, fallback. */
export const addHybridConfig: MigrationRule = {
  section: "hybrid_config",
  build({ options }) {
    return {
      mode: options.mode,
      intelligent_routing: options.intelligent_routing,
      ab_testing_enabled: options.ab_testing_enabled,
      performance_threshold: options.performance_threshold,
      fallback_enabled: options.fallback_enabled,
    };
  },
};
