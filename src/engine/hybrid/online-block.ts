import { buildAbBlock, type AbBlock, type OnlineEvidence } from "../../report/index.js";
import { wilsonInterval } from "../../stats/index.js";
import type { AbHistory, CanaryTally } from "./ab-history.js";
import type { HybridSettings } from "./hybrid-settings.js";
import { confidenceRadius } from "./msprt.js";
import type { OnlineScorer } from "./online-scorer.js";

/** Executions per arm before the canary may stop the optimized program. */
const CANARY_MIN_RUNS = 10;

const badRate = (t: CanaryTally) => wilsonInterval(Math.min(t.n, t.failed + t.invalid), t.n);

/**
 * The canary trips when the optimized arm's rate of failed or invalid answers is surely above the
 * traditional arm's: the 95% Wilson intervals of the two rates do not overlap.
 */
export function canaryTripped(canary: AbHistory["canary"]): boolean {
  const { traditional, optimized } = canary;
  if (traditional.n < CANARY_MIN_RUNS || optimized.n < CANARY_MIN_RUNS) return false;
  return badRate(optimized)[0] > badRate(traditional)[1];
}

/** The mSPRT's always-valid p-value and confidence sequence of the paired Δ (within [−1, 1], where Δ lives). */
function alwaysValid(
  history: AbHistory,
  alpha: number,
): NonNullable<OnlineEvidence["always_valid"]> {
  const { sequential } = history;
  const mean = sequential.n ? sequential.sum / sequential.n : 0;
  const radius = confidenceRadius(sequential, alpha);
  return {
    method: "mSPRT",
    p_value: sequential.pValue,
    confidence_sequence: [Math.max(-1, mean - radius), Math.min(1, mean + radius)],
    alpha,
    n: sequential.n,
  };
}

/** What the report says about a step's online A/B: its scorer, what it counted, and its statistics. */
export function onlineEvidence(
  history: AbHistory,
  scorer: OnlineScorer,
  settings: HybridSettings,
): OnlineEvidence {
  const evidence: OnlineEvidence = {
    scorer: scorer.kind,
    scorer_detail: scorer.detail,
    distinct_inputs: history.seen.length,
    repeats_ignored: history.repeats,
    decided: history.decided,
  };
  if (scorer.kind === "canary")
    return {
      ...evidence,
      canary: {
        share: settings.canaryShare,
        traditional: history.canary.traditional,
        optimized: history.canary.optimized,
        tripped: canaryTripped(history.canary),
      },
    };
  return history.pairs > 0
    ? { ...evidence, always_valid: alwaysValid(history, settings.alpha) }
    : evidence;
}

const RECOMMENDATION = {
  optimized: ["use_optimized", "the always-valid test decided for optimized"],
  traditional: ["use_traditional", "the always-valid test decided for traditional"],
  equivalent: [
    "use_traditional",
    "the always-valid confidence sequence lies within ±threshold: equivalent, traditional costs less",
  ],
} as const;

/**
 * The online `ab` block: per-arm summaries of the kept pairs, with the p-value and interval replaced by
 * the mSPRT's always-valid p-value and confidence sequence (a fixed-sample test is not valid on data
 * whose collection stopped when the test said so), and the recommendation by the sequential decision.
 */
export function onlineAbBlock(
  history: AbHistory,
  evidence: OnlineEvidence,
  settings: HybridSettings,
  seed: number,
): AbBlock | undefined {
  if (history.recent.length === 0 || !evidence.always_valid) return undefined;
  const block = buildAbBlock({
    source: "online",
    metric: evidence.scorer_detail,
    pairs: history.recent,
    seed,
    threshold: settings.performanceThreshold,
  });
  const [recommendation, reason] = history.decided
    ? RECOMMENDATION[history.decided]
    : (["keep_testing", "the always-valid test has not decided yet"] as const);
  return {
    ...block,
    ci95: evidence.always_valid.confidence_sequence,
    p_value: evidence.always_valid.p_value,
    recommendation,
    recommendation_reason: reason,
  };
}
