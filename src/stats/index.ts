/** Wilson score 95% interval of a pass rate (successes of n); [0, 1] for n = 0. */
export { wilsonInterval, Z_95 } from "./wilson-interval.js";
/** Seeded percentile-bootstrap CI of a mean, of a paired delta, and the paired delta itself. */
export {
  bootstrapMeanCi,
  pairedBootstrapDeltaCi,
  meanDelta,
  type BootstrapOptions,
  type Pair,
} from "./bootstrap.js";
/** Exact two-sided McNemar p from the discordant counts b and c. */
export { exactMcNemarP } from "./mcnemar.js";
/** Two-sided paired sign-flip permutation p (exact for few differences, seeded Monte Carlo otherwise). */
export { signFlipPermutationP, type SignFlipOptions } from "./sign-flip.js";
/** Paired summary (delta, CI, p, wins/losses/ties, metric kind, insufficient data) and its thresholds. */
export { summarizePairs, isBinary, MIN_PAIRS, type PairSummary } from "./summarize-pairs.js";
/** Type-7 quantile (linear interpolation) and the arithmetic mean. */
export { percentile, mean } from "./percentile.js";
/** mulberry32 seeded PRNG, uniform in [0, 1). */
export { seededRandom } from "./seeded-random.js";
/** Paired t test of a mean difference and the interval that inverts it (one rule for CI, p and verdict), with its variance floor. */
export { pairedTTest, tInterval, tPValue, varianceFloor, type PairedTTest } from "./paired-t.js";
/** Student's t CDF and quantile. */
export { studentTCdf, studentTQuantile } from "./student-t.js";
/** Benjamini–Hochberg q-values and the level of FCR-adjusted intervals after BH selection. */
export { benjaminiHochberg, fcrLevel } from "./benjamini-hochberg.js";
/** F1 of two token lists as multisets (token F1 on normalised tokens). */
export { multisetF1 } from "./multiset-f1.js";
/** Standard normal quantile (Acklam's approximation). */
export { normalQuantile } from "./normal-quantile.js";
/** Pairs a two-sided paired t test needs for a given power (t-corrected iteration), with its "too small to chase" cap. */
export {
  pairedSampleSize,
  type PairedSampleSize,
  type PairedSampleSizeInput,
} from "./paired-sample-size.js";
