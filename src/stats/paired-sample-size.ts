import { normalQuantile } from "./normal-quantile.js";
import { studentTQuantile } from "./student-t.js";

/** What the sample size of a paired t test is computed from. */
export interface PairedSampleSizeInput {
  /** The mean paired difference to detect (the observed Δ); its sign does not matter. */
  delta: number;
  /** Standard deviation of the paired differences (the observed one). */
  sd: number;
  /** Two-sided significance level. @default 0.05 */
  alpha?: number;
  /** Power wanted. @default 0.8 */
  power?: number;
  /** Pairs measured so far: with `maxRatio`, the estimate is too small to chase above `maxRatio` × this. @default undefined (no ratio cap) */
  currentPairs?: number;
  /** @default 10 */
  maxRatio?: number;
  /** Above this many pairs the effect is too small to chase. @default 2000 */
  maxPairs?: number;
}

/** The number of pairs a paired t test needs. */
export interface PairedSampleSize {
  /** Pairs needed in all (≥ 2); Infinity when delta is 0. */
  pairs: number;
  /** Above the cap: more than `maxRatio` × the current pairs, or more than `maxPairs`. */
  tooSmall: boolean;
  /** Fixed-point iterations with t quantiles after the normal start (stable when it stops). */
  iterations: number;
}

/** Most iterations before the fixed point is settled by a monotone search (never reached in practice). */
const MAX_ITERATIONS = 50;

/**
 * Pairs a two-sided paired t test at `alpha` needs to reach `power` against a true mean difference
 * `delta` with differences of standard deviation `sd`. Starts from the normal approximation
 * n₀ = ((z_{1−α/2} + z_{1−β}) · sd / δ)² and iterates n_{k+1} = ⌈((t_{1−α/2, n_k−1} + t_{1−β, n_k−1})
 * · sd / δ)²⌉ until n is stable: the t-corrected formula of Chow, Shao & Wang, "Sample Size
 * Calculations in Clinical Research" (2nd ed., 2008), §3.1 (one-sample / paired mean), also Julious,
 * Stat. Med. 23:1921 (2004), §3. Because the right side decreases in n, the answer is the smallest
 * n ≥ 2 with n ≥ f(n); the iteration lands on it, or on a neighbour of a 2-cycle that a final
 * monotone step settles. At α 0.05 and power 0.8 it gives the exact noncentral-t answer for every
 * δ/sd tested (34 pairs for 0.5, 199 for 0.2, G*Power's figures); elsewhere it is within one pair
 * (α 0.01: 50 where the exact answer is 51), see `test/stats/paired-sample-size.test.ts`.
 *
 * Cap, why 10× and 2,000: the ratio needed/current equals ((t_α + t_β)/t_obs)², so needing more
 * than 10× the current pairs means the observed |t| is below ≈ 0.89 — the pilot cannot tell its
 * own effect from noise, and the recommended n is then mostly noise (bench/sample-size.ts measures
 * the achieved power by that ratio). 2,000 pairs is the absolute cap: at 2,000 pairs a binary metric
 * (sd ≤ 1) resolves Δ ≈ 0.06, below the 0.1 `performance_threshold` default, so chasing a smaller
 * effect costs more labelling than the routing decision it could change.
 *
 * Returns null when it cannot be estimated: sd or delta not finite, or sd ≤ 0 (no variance seen).
 */
export function pairedSampleSize(input: PairedSampleSizeInput): PairedSampleSize | null {
  const alpha = input.alpha ?? 0.05;
  const power = input.power ?? 0.8;
  const { sd } = input;
  const delta = Math.abs(input.delta);
  if (!Number.isFinite(sd) || !Number.isFinite(delta) || sd <= 0) return null;
  if (!(alpha > 0 && alpha < 1 && power > 0 && power < 1)) return null;
  if (delta === 0) return { pairs: Number.POSITIVE_INFINITY, tooSmall: true, iterations: 0 };
  const ratio = sd / delta;
  const zSum = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  // Past a million degrees of freedom t and z quantiles agree to ~1e-6, and the incomplete beta
  // behind the t quantile loses precision.
  const quantileSum = (df: number) =>
    df > 1e6 ? zSum : studentTQuantile(1 - alpha / 2, df) + studentTQuantile(power, df);
  const f = (n: number) => (quantileSum(n - 1) * ratio) ** 2;
  const z = (zSum * ratio) ** 2;
  if (!Number.isFinite(z))
    return { pairs: Number.POSITIVE_INFINITY, tooSmall: true, iterations: 0 };
  let n = Math.max(2, Math.ceil(z));
  let iterations = 0;
  const seen = new Set<number>([n]);
  for (; iterations < MAX_ITERATIONS;) {
    const next = Math.max(2, Math.ceil(f(n)));
    iterations++;
    if (next === n || seen.has(next)) {
      n = Math.max(n, next);
      break;
    }
    seen.add(next);
    n = next;
  }
  // The smallest n with n ≥ f(n) (f decreases in n, so this set is every n from some point on).
  for (let i = 0; i < 100 && n > 2 && n - 1 >= f(n - 1); i++) n--;
  for (let i = 0; i < 100 && n < f(n); i++) n++;
  const cap = Math.min(
    input.maxPairs ?? 2000,
    input.currentPairs !== undefined
      ? (input.maxRatio ?? 10) * input.currentPairs
      : Number.POSITIVE_INFINITY,
  );
  return { pairs: n, tooSmall: n > cap, iterations };
}
