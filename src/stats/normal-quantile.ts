/**
 * The standard normal quantile by Acklam's rational approximation (relative error < 1.15e-9): a
 * central rational function for 0.02425 ≤ q ≤ 0.97575 and a tail one in √(−2 ln q) outside.
 * Source: P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution
 * function" (2003), https://web.archive.org/web/20151030215612/http://home.online.no/~pjacklam/notes/invnorm/
 */
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239,
];
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
  -1.328068155288572e1,
];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const LOW = 0.02425;

const poly = (c: readonly number[], x: number) => c.reduce((acc, k) => acc * x + k, 0);

/** The q-quantile (0 < q < 1) of the standard normal distribution; ±∞ at 0 and 1. */
export function normalQuantile(q: number): number {
  if (q <= 0) return Number.NEGATIVE_INFINITY;
  if (q >= 1) return Number.POSITIVE_INFINITY;
  if (q < LOW) {
    const r = Math.sqrt(-2 * Math.log(q));
    return poly(C, r) / (poly(D, r) * r + 1);
  }
  if (q > 1 - LOW) return -normalQuantile(1 - q);
  const x = q - 0.5;
  const r = x * x;
  return (poly(A, r) * x) / (poly(B, r) * r + 1);
}
