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

/** One arm's canary watch: executions on distinct inputs, and how many failed or answered outside the signature. */
export interface CanaryTally {
  n: number;
  failed: number;
  invalid: number;
}

/**
 * What the online A/B of one step has learned so far; kept in the cache across runs. Version 2: each
 * distinct input (by content hash) counts once, so re-runs and cache hits add no evidence; histories of
 * version 1 (scored by signature validity) are discarded.
 */
export interface AbHistory {
  version: 2;
  arms: Record<Arm, BetaArm>;
  sequential: SequentialState;
  /** Set once the sequential test decides (an arm, or `equivalent`); the A/B then stops costing double. */
  decided: Arm | "equivalent" | null;
  pairs: number;
  singles: Record<Arm, number>;
  /** The latest paired observations (at most {@link MAX_KEPT_PAIRS}), for the report's online `ab` block. */
  recent: ScorePair[];
  /** Content hashes of the inputs already counted (at most {@link MAX_SEEN_INPUTS}, oldest dropped). */
  seen: string[];
  /** Executions whose input was already counted: they ran, but added no evidence. */
  repeats: number;
  /** Without a judge: one arm per input, watched for failures and validity (no quality comparison). */
  canary: Record<Arm, CanaryTally>;
}

export const MAX_KEPT_PAIRS = 500;
export const MAX_SEEN_INPUTS = 10_000;

const emptyTally = (): CanaryTally => ({ n: 0, failed: 0, invalid: 0 });

export function emptyAbHistory(): AbHistory {
  return {
    version: 2,
    arms: { traditional: uniformPrior, optimized: uniformPrior },
    sequential: initialSequentialState,
    decided: null,
    pairs: 0,
    singles: { traditional: 0, optimized: 0 },
    recent: [],
    seen: [],
    repeats: 0,
    canary: { traditional: emptyTally(), optimized: emptyTally() },
  };
}

/** True when this input (content hash) already added evidence; null (inputs unknown) counts as seen. */
export function isCounted(history: AbHistory, inputKey: string | null): boolean {
  return inputKey === null || history.seen.includes(inputKey);
}

/** Marks the input as counted, or, when it already was, tallies a repeat and changes nothing else. */
function counting(
  history: AbHistory,
  inputKey: string | null,
  update: (h: AbHistory) => AbHistory,
): AbHistory {
  if (isCounted(history, inputKey)) return { ...history, repeats: history.repeats + 1 };
  return update({ ...history, seen: [...history.seen, inputKey!].slice(-MAX_SEEN_INPUTS) });
}

/** An execution that adds no evidence: a repeat when its input was already counted, else nothing. */
export function recordRepeat(history: AbHistory, inputKey: string | null): AbHistory {
  return isCounted(history, inputKey) ? { ...history, repeats: history.repeats + 1 } : history;
}

export type AbPlan = { kind: "both" } | { kind: "single"; arm: Arm };

/**
 * How to run one input of an A/B step scored pair by pair. Both arms run (a paired observation, one
 * extra LM call) with probability equal to the posterior's uncertainty about which arm is better, never
 * below `minPairShare`; otherwise one arm runs, chosen by Thompson sampling with a floor per arm. Once
 * the sequential test has decided, only the winner runs. An input already counted never runs both: a
 * second pair on it would cost a call and teach nothing.
 */
export function planAbInput(
  history: AbHistory,
  random: () => number,
  minPairShare: number,
  repeated = false,
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
  if (random() < Math.max(minPairShare, uncertainty) && !repeated) return { kind: "both" };
  return {
    kind: "single",
    arm: thompsonArm(history.arms.traditional, history.arms.optimized, random, minPairShare),
  };
}

/**
 * Adds one paired observation of a new input (a counted input only tallies a repeat). `margin`:
 * differences smaller than this do not matter (the routing threshold), so the test may also stop with
 * `equivalent`.
 */
export function recordPair(
  history: AbHistory,
  pair: ScorePair,
  alpha: number,
  margin = 0,
  inputKey: string | null = `pair:${history.pairs}`,
): AbHistory {
  return counting(history, inputKey, (h) => {
    const sequential = observeDifference(h.sequential, pair.optimized - pair.traditional);
    return {
      ...h,
      arms: {
        traditional: observeScore(h.arms.traditional, pair.traditional),
        optimized: observeScore(h.arms.optimized, pair.optimized),
      },
      sequential,
      decided: sequentialDecision(sequential, alpha, margin),
      pairs: h.pairs + 1,
      recent: [...h.recent, pair].slice(-MAX_KEPT_PAIRS),
    };
  });
}

/** Adds one single-arm score of a new input (a counted input only tallies a repeat). */
export function recordSingle(
  history: AbHistory,
  arm: Arm,
  score: number,
  inputKey: string | null = `single:${history.singles.traditional + history.singles.optimized}`,
): AbHistory {
  return counting(history, inputKey, (h) => ({
    ...h,
    arms: { ...h.arms, [arm]: observeScore(h.arms[arm], score) },
    singles: { ...h.singles, [arm]: h.singles[arm] + 1 },
  }));
}

/** Adds one canary execution of a new input (a counted input only tallies a repeat). */
export function recordCanary(
  history: AbHistory,
  arm: Arm,
  outcome: { failed: boolean; invalid: boolean },
  inputKey: string | null,
): AbHistory {
  return counting(history, inputKey, (h) => {
    const t = h.canary[arm];
    const next = {
      n: t.n + 1,
      failed: t.failed + (outcome.failed ? 1 : 0),
      invalid: t.invalid + (outcome.invalid ? 1 : 0),
    };
    return { ...h, canary: { ...h.canary, [arm]: next } };
  });
}

const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isBeta = (v: unknown): v is BetaArm => {
  const arm = v as Partial<BetaArm> | null;
  return isFiniteNumber(arm?.alpha) && isFiniteNumber(arm?.beta) && arm.alpha > 0 && arm.beta > 0;
};
const isTally = (v: unknown): v is CanaryTally => {
  const t = v as Partial<CanaryTally> | null;
  return isFiniteNumber(t?.n) && isFiniteNumber(t?.failed) && isFiniteNumber(t?.invalid);
};

/** Validates a cache entry as an AbHistory; anything else (version 1, corruption) is ignored. */
export function parseAbHistory(value: unknown): AbHistory | undefined {
  const h = value as Partial<AbHistory> | null;
  if (!h || h.version !== 2 || !isBeta(h.arms?.traditional) || !isBeta(h.arms?.optimized))
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
  if (!Array.isArray(h.seen) || !h.seen.every((k) => typeof k === "string")) return undefined;
  if (!isTally(h.canary?.traditional) || !isTally(h.canary?.optimized)) return undefined;
  if (
    !isFiniteNumber(h.pairs) ||
    !isFiniteNumber(h.repeats) ||
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
