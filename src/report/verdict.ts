import { benjaminiHochberg, fcrLevel, tInterval } from "../stats/index.js";
import { neededExamples, neededText } from "./needed-examples.js";
import { recommend } from "./recommend.js";
import type { AbBlock, Fdr, StepReport, Verdict } from "./run-report.js";

/** The false discovery rate the verdicts of one report control. */
export const FDR_ALPHA = 0.05;

/**
 * The one decision rule: `better` when the interval's lower bound is above 0, `worse` when its upper
 * bound is below 0, `inconclusive` otherwise; `needs_more_data` below the floor of labelled examples.
 */
export function verdictOf(ci: readonly [number, number], n: number, floor: number): Verdict {
  if (n < floor) return "needs_more_data";
  if (ci[0] > 0) return "better";
  if (ci[1] < 0) return "worse";
  return "inconclusive";
}

/** One comparison as the FDR control reads it: its p, and Δ with the standard error and df of its t test. */
export interface TestedDelta {
  p_value: number;
  delta: number;
  se: number;
  df: number;
}

/**
 * Benjamini–Hochberg at {@link FDR_ALPHA} across comparisons: each one's q-value and its interval at the
 * false-coverage-adjusted level (Benjamini–Yekutieli 2005), with that level. A comparison with se 0 (a
 * report written before the variance floor) keeps a point interval at every level.
 */
export function fdrIntervals(tests: readonly TestedDelta[]): {
  level: number;
  adjusted: Array<{ q_value: number; ci: [number, number] }>;
} {
  const q = benjaminiHochberg(tests.map((t) => t.p_value));
  const level = fcrLevel(q, FDR_ALPHA);
  return {
    level,
    adjusted: tests.map((t, j) => ({
      q_value: q[j]!,
      ci: t.se === 0 ? [t.delta, t.delta] : tInterval(t.delta, t.se, t.df, level),
    })),
  };
}

/** Whether a block carries held-out evidence that takes part in the FDR control. */
const compared = (ab: AbBlock | undefined): ab is AbBlock & { heldout: object } =>
  ab?.heldout !== undefined && ab.p_value !== null && ab.heldout.verdict !== "needs_more_data";

/**
 * Controls the false discovery rate across the held-out comparisons of a report's steps
 * (Benjamini–Hochberg at 5%): fills each block's `q_value`, its `ci_fdr` at the false-coverage-adjusted
 * level (Benjamini–Yekutieli), and its verdict from `ci_fdr`, so `better` ⇔ q ≤ 0.05 with Δ > 0. With
 * one comparison this is the plain 95% CI and q = p. The recommendation is redone from `ci_fdr` too. Returns the report's `fdr` block (pure: new steps).
 */
export function applyFdr(steps: readonly StepReport[]): { steps: StepReport[]; fdr: Fdr } {
  const indices = steps.flatMap((s, i) => (compared(s.ab) ? [i] : []));
  const { level, adjusted } = fdrIntervals(
    indices.map((i) => {
      const ab = steps[i]!.ab!;
      return { p_value: ab.p_value!, delta: ab.delta, se: ab.heldout!.se, df: ab.heldout!.df };
    }),
  );
  const q = adjusted.map((a) => a.q_value);
  const out = steps.map((s) => s);
  indices.forEach((i, j) => {
    const step = steps[i]!;
    const ab = step.ab!;
    const heldout = ab.heldout!;
    const ciFdr = adjusted[j]!.ci;
    const verdict = verdictOf(ciFdr, ab.n, 0);
    const needed =
      verdict === "inconclusive"
        ? neededExamples({
            split: heldout.split,
            n: ab.n,
            n_labelled: heldout.n_labelled,
            floor: heldout.min_labelled,
            delta: ab.delta,
            se: heldout.se,
            alpha: Number((1 - level).toPrecision(12)),
            ...(heldout.test_fraction !== undefined
              ? { test_fraction: heldout.test_fraction }
              : {}),
            ...(heldout.min_test_examples !== undefined
              ? { min_test_examples: heldout.min_test_examples }
              : {}),
          })
        : null;
    const { recommendation, reason } = recommend({
      summary: { delta: ab.delta, ci95: ciFdr, p_value: ab.p_value, n: ab.n },
      traditionalCostUsd: ab.traditional.cost_usd,
      optimizedCostUsd: ab.optimized.cost_usd,
      threshold: ab.threshold ?? 0.1,
      floor: 0,
    });
    const across =
      indices.length > 1
        ? ` (CI at ${(level * 100).toFixed(1)}%: FDR across ${indices.length} steps)`
        : "";
    const more = needed
      ? `; ${neededText(needed, { n: ab.n, n_labelled: heldout.n_labelled, delta: ab.delta, split: heldout.split })}`
      : "";
    out[i] = {
      ...step,
      ab: {
        ...ab,
        recommendation,
        recommendation_reason: reason + across + more,
        heldout: {
          ...heldout,
          q_value: q[j]!,
          ci_fdr: ciFdr,
          verdict,
          needed,
        },
      },
    };
  });
  return {
    steps: out,
    fdr: {
      method: "benjamini_hochberg",
      alpha: FDR_ALPHA,
      m: indices.length,
      rejected: q.filter((v) => v <= FDR_ALPHA).length,
      level,
    },
  };
}
