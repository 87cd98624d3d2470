/** `dspy_config.optimization_frequency`: how often a cached optimization is recomputed. */
export type OptimizationFrequency = "daily" | "weekly" | "monthly" | "on_change" | "never";

const DAY_MS = 24 * 60 * 60 * 1000;

const maxAges: Record<OptimizationFrequency, number> = {
  daily: DAY_MS,
  weekly: 7 * DAY_MS,
  monthly: 30 * DAY_MS,
  // Any change to an input is already a different key, so the entry itself never ages out.
  on_change: Number.POSITIVE_INFINITY,
  // Never re-optimize: a cached program stays in use until invalidated.
  never: Number.POSITIVE_INFINITY,
};

/** Age in milliseconds past which an entry is recomputed; `Infinity` for `on_change` and `never`. */
export function maxAgeFor(frequency: OptimizationFrequency): number {
  return maxAges[frequency];
}

/** Type guard for user input (YAML values are validated by the config schema; this is the cache's own check). */
export function isOptimizationFrequency(value: unknown): value is OptimizationFrequency {
  return typeof value === "string" && Object.hasOwn(maxAges, value);
}

/** The cache policy a workflow's `dspy_config` asks for. */
export interface CachePolicy {
  enabled: boolean;
  maxAgeMs: number;
}

/**
 * Reads `cache_enabled` and `optimization_frequency`. An explicit `cache_enabled: false` wins
 * (the design's `|| true` made that impossible). @default enabled, weekly.
 */
export function cachePolicyFor(
  dspyConfig:
    { cache_enabled?: boolean; optimization_frequency?: OptimizationFrequency } | undefined,
): CachePolicy {
  const enabled = dspyConfig?.cache_enabled ?? true;
  const frequency = dspyConfig?.optimization_frequency ?? "weekly";
  return { enabled, maxAgeMs: maxAgeFor(frequency) };
}

/** Whether an entry computed at `createdAt` is still fresh at `now`. */
export function isFresh(createdAt: number, now: number, maxAgeMs: number): boolean {
  return now - createdAt <= maxAgeMs;
}
