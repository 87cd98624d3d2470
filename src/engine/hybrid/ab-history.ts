import type { ScorePair } from "../../report/index.js";
import {
  initialSequentialState,
  observeDifference,
  sequentialDecision,
  type SequentialState,
} from "./msprt.js";
import {
  observeScore,
  probabilityOptimizedBetter,
  thompsonArm,
  uniformPrior,
  type BetaArm,
} from "./thompson.js";

export type Arm = "traditional" | "optimized";

/** What the online A/B of one step has learned so far; kept in the cache across runs. */
export interface AbHistory {
  version: 1;
  arms: Record<Arm, BetaArm>;
  sequential: SequentialState;
  /** Set once the sequential test decides (an arm, or `equivalent`); the A/B then stops costing double. */
  decided: Arm | "equivalent" | null;
  pairs: number;
  singles: Record<Arm, number>;
  /** The latest paired observations (at most {@link MAX_KEPT_PAIRS}), for the report's online `ab` block. */
  recent: ScorePair[];
}

export const MAX_KEPT_PAIRS = 500;

export function emptyAbHistory(): AbHistory {
  return {
    version: 1,
    arms: { traditional: uniformPrior, optimized: uniformPrior },
    sequential: initialSequentialState,
    decided: null,
    pairs: 0,
    singles: { traditional: 0, optimized: 0 },
    recent: [],
  };
}

export type AbPlan = { kind: "both" } | { kind: "single"; arm: Arm };

/**
 * How to run one input of an A/B step. Both arms run (a paired observation, one extra LM call) with
 * probability equal to the posterior's uncertainty about which arm is better, never below `minPairShare`;
 * otherwise one arm runs, chosen by Thompson sampling with a floor per arm. Once the sequential test
 * has decided, only the winner runs.
 */
export function planAbInput(
  history: AbHistory,
  random: () => number,
  minPairShare: number,
): AbPlan {
  if (history.decided)
    return {
      kind: "single",
      arm: history.decided === "equivalent" ? "traditional" : history.decided,
    };
  const pBetter = probabilityOptimizedBetter(
    history.arms.traditional,
    history.arms.optimized,
    random,
  );
  const uncertainty = 1 - Math.abs(2 * pBetter - 1);
  if (random() < Math.max(minPairShare, uncertainty)) return { kind: "both" };
  return {
    kind: "single",
    arm: thompsonArm(history.arms.traditional, history.arms.optimized, random, minPairShare),
  };
}

/**
 * Adds one paired observation. `margin`: differences smaller than this do not matter (the routing
 * threshold), so the test may also stop with `equivalent`.
 */
export function recordPair(
  history: AbHistory,
  pair: ScorePair,
  alpha: number,
  margin = 0,
): AbHistory {
  const sequential = observeDifference(history.sequential, pair.optimized - pair.traditional);
  return {
    ...history,
    arms: {
      traditional: observeScore(history.arms.traditional, pair.traditional),
      optimized: observeScore(history.arms.optimized, pair.optimized),
    },
    sequential,
    decided: sequentialDecision(sequential, alpha, margin),
    pairs: history.pairs + 1,
    recent: [...history.recent, pair].slice(-MAX_KEPT_PAIRS),
  };
}

export function recordSingle(history: AbHistory, arm: Arm, score: number): AbHistory {
  return {
    ...history,
    arms: { ...history.arms, [arm]: observeScore(history.arms[arm], score) },
    singles: { ...history.singles, [arm]: history.singles[arm] + 1 },
  };
}

const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isBeta = (v: unknown): v is BetaArm => {
  const arm = v as Partial<BetaArm> | null;
  return isFiniteNumber(arm?.alpha) && isFiniteNumber(arm?.beta) && arm.alpha > 0 && arm.beta > 0;
};

/** Validates a cache entry as an AbHistory; anything else (old format, corruption) is ignored. */
export function parseAbHistory(value: unknown): AbHistory | undefined {
  const h = value as Partial<AbHistory> | null;
  if (!h || h.version !== 1 || !isBeta(h.arms?.traditional) || !isBeta(h.arms?.optimized))
    return undefined;
  const s = h.sequential;
  if (!s || ![s.n, s.sum, s.sumSquares, s.pValue].every(isFiniteNumber)) return undefined;
  if (
    h.decided !== null &&
    h.decided !== "traditional" &&
    h.decided !== "optimized" &&
    h.decided !== "equivalent"
  )
    return undefined;
  if (
    !Array.isArray(h.recent) ||
    !h.recent.every((p) => isFiniteNumber(p?.traditional) && isFiniteNumber(p?.optimized))
  )
    return undefined;
  if (
    !isFiniteNumber(h.pairs) ||
    !isFiniteNumber(h.singles?.traditional) ||
    !isFiniteNumber(h.singles?.optimized)
  )
    return undefined;
  return h as AbHistory;
}

/** Mean paired gain observed online, or null before the first pair. */
export function onlineGain(history: AbHistory): number | null {
  return history.sequential.n ? history.sequential.sum / history.sequential.n : null;
}
