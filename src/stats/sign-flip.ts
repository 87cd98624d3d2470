import { seededRandom } from "./seeded-random.js";

/** Options of the paired permutation test. */
export interface SignFlipOptions {
  /** Seed of the Monte Carlo variant. */
  seed: number;
  /** Exact enumeration up to this many non-zero differences (2^n sign patterns). @default 16 */
  exactUpTo?: number;
  /** Random sign patterns when n is above `exactUpTo`. @default 10000 */
  resamples?: number;
}

/**
 * Two-sided paired permutation (sign-flip) test of mean difference = 0: under H0 each difference's
 * sign is exchangeable, so p is the share of sign patterns whose |sum| is at least the observed |sum|.
 * Exact for few non-zero differences; otherwise seeded Monte Carlo with the +1 correction
 * (Phipson & Smyth 2010), so p is never 0. Returns 1 when every difference is 0.
 */
export function signFlipPermutationP(
  differences: readonly number[],
  options: SignFlipOptions,
): number {
  const nonZero = differences.filter((d) => d !== 0).map(Math.abs);
  const n = nonZero.length;
  if (n === 0) return 1;
  const observed = Math.abs(differences.reduce((s, d) => s + d, 0));
  // Tolerance so that floating-point sums equal to the observed one count as "as extreme".
  const atLeast = (sum: number) => Math.abs(sum) >= observed - 1e-9;
  if (n <= (options.exactUpTo ?? 16)) {
    let extreme = 0;
    const patterns = 2 ** n;
    for (let mask = 0; mask < patterns; mask++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += mask & (1 << i) ? -nonZero[i]! : nonZero[i]!;
      if (atLeast(sum)) extreme++;
    }
    return extreme / patterns;
  }
  const resamples = options.resamples ?? 10000;
  const random = seededRandom(options.seed);
  let extreme = 0;
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += random() < 0.5 ? -nonZero[i]! : nonZero[i]!;
    if (atLeast(sum)) extreme++;
  }
  return (extreme + 1) / (resamples + 1);
}
