import { pairedSampleSize } from "../stats/index.js";
import type { Needed } from "./run-report.js";

/** `dspy_config.test_fraction`'s default (src/optimize/split.ts), for reports that do not carry it. */
const DEFAULT_TEST_FRACTION = 0.4;
/** `dspy_config.min_test_examples`'s default (src/optimize/split.ts). */
const DEFAULT_MIN_TEST_EXAMPLES = 20;
const POWER = 0.8;

/** What the data a conclusive verdict needs is computed from. */
export interface NeededInput {
  split: "test" | "cross_fit" | "none";
  /** Held-out pairs now, and labelled examples now. */
  n: number;
  n_labelled: number;
  /** The floor of labelled examples. */
  floor: number;
  delta: number;
  /** Standard error of Δ (with its variance floor); sd = se · √n. */
  se: number;
  /** Two-sided level of the verdict's interval (1 − its confidence level). @default 0.05 */
  alpha?: number;
  /** @default the share n / n_labelled for a test split, else 0.4 */
  test_fraction?: number;
  /** @default 20 */
  min_test_examples?: number;
}

/**
 * Labelled examples in all that give `pairs` held-out pairs under the split rule of
 * src/optimize/split.ts (examples are only ever added). A test split gains `fraction` of each new
 * example (hash-assigned, so the ones it holds stay). Cross-fitting holds every example out while
 * the test split would hold fewer than `minTest`; past that size the run switches to a test split
 * of `fraction` of all the examples.
 */
export function labelledFor(
  pairs: number,
  now: { split: NeededInput["split"]; n: number; n_labelled: number },
  fraction: number,
  minTest: number,
): number {
  if (now.split === "test" && fraction > 0)
    return now.n_labelled + Math.max(0, Math.ceil((pairs - now.n) / fraction));
  if (fraction <= 0 || pairs * fraction < minTest) return Math.max(now.n_labelled, pairs);
  return Math.max(now.n_labelled, Math.ceil(pairs / fraction));
}

/**
 * The data an inconclusive (or below-the-floor) held-out verdict needs: below the floor, the
 * labelled examples up to it; otherwise the pairs a paired t test needs for 80% power at the
 * verdict's level against the observed Δ and spread (`pairedSampleSize`), and the labelled examples
 * that give them. Null when it cannot be estimated (fewer than 2 pairs).
 */
export function neededExamples(input: NeededInput): Needed | null {
  const alpha = input.alpha ?? 0.05;
  if (input.split === "none" || input.n_labelled < input.floor)
    return {
      basis: "floor",
      pairs: null,
      labelled_examples: input.floor,
      add_labelled_examples: Math.max(0, input.floor - input.n_labelled),
      too_small: false,
      alpha,
      power: POWER,
    };
  if (input.n < 2) return null;
  const size = pairedSampleSize({
    delta: input.delta,
    sd: input.se * Math.sqrt(input.n),
    alpha,
    power: POWER,
    currentPairs: input.n,
  });
  if (size === null) return null;
  if (!Number.isFinite(size.pairs))
    return {
      basis: "power",
      pairs: null,
      labelled_examples: null,
      add_labelled_examples: null,
      too_small: true,
      alpha,
      power: POWER,
    };
  // An inconclusive interval at this level means more pairs than now (the formula's t_α + t_β > t_obs).
  const pairs = Math.max(size.pairs, input.n + 1);
  const fraction =
    input.test_fraction ??
    (input.split === "test" && input.n_labelled > 0
      ? input.n / input.n_labelled
      : DEFAULT_TEST_FRACTION);
  const labelled = labelledFor(
    pairs,
    input,
    fraction,
    input.min_test_examples ?? DEFAULT_MIN_TEST_EXAMPLES,
  );
  return {
    basis: "power",
    pairs,
    labelled_examples: labelled,
    add_labelled_examples: labelled - input.n_labelled,
    too_small: size.tooSmall,
    alpha,
    power: POWER,
  };
}

const fmt = (x: number) => (x >= 0 ? "+" : "") + x.toFixed(3);
const count = (x: number) => x.toLocaleString("en-US");

/** The sentence of the recommendation reason that states what `needed` says. */
export function neededText(
  needed: Needed,
  context: { n: number; n_labelled: number; delta: number; split: NeededInput["split"] },
): string {
  if (needed.basis === "floor")
    return `add at least ${count(needed.add_labelled_examples ?? 0)} more labelled examples (have ${context.n_labelled}, floor ${needed.labelled_examples ?? 0})`;
  const level = `${Math.round(needed.power * 100)}% power at α ${Number(needed.alpha.toPrecision(3))}`;
  if (needed.pairs === null)
    return `Δ ${fmt(context.delta)} is too small to chase: no number of pairs detects it`;
  if (needed.too_small)
    return `Δ ${fmt(context.delta)} is too small to chase: ${level} needs ≈ ${count(needed.pairs)} pairs (have ${context.n})`;
  const testSplit =
    context.split === "test" ||
    (needed.labelled_examples !== null && needed.labelled_examples > needed.pairs);
  const where = testSplit
    ? "only the test split's share of new examples is held out"
    : "cross-fitting holds every example out";
  return `${level} for Δ ${fmt(context.delta)} needs ≈ ${count(needed.pairs)} pairs (have ${context.n}): add ≈ ${count(needed.add_labelled_examples ?? 0)} labelled examples (${where})`;
}
