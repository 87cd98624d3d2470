/**
 * Benjamini–Hochberg adjusted p-values (q-values) of m tests, in the input order:
 * q_(i) = min_{j ≥ i} min(1, m · p_(j) / j) over the ascending order (Benjamini & Hochberg 1995;
 * the same as R's `p.adjust(p, "BH")`). Rejecting every q ≤ α controls the false discovery rate at α
 * for independent or positively dependent tests.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const q = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const { p, i } = order[rank - 1]!;
    running = Math.min(running, (m * p) / rank);
    q[i] = Math.min(1, running);
  }
  return q;
}

/**
 * The confidence level of false-coverage-rate adjusted intervals after BH selection at `alpha`
 * (Benjamini & Yekutieli 2005, "False discovery rate–adjusted multiple confidence intervals",
 * JASA 100:71–81): 1 − R·α/m, with R the number of tests BH rejects (taken as 1 when none is, so
 * that every interval then contains 0 exactly when no q is ≤ α). With this level an interval
 * excludes 0 exactly when its test's q ≤ α, so the verdict read from either agrees.
 */
export function fcrLevel(qValues: readonly number[], alpha = 0.05): number {
  const m = qValues.length;
  if (m === 0) return 1 - alpha;
  const rejected = qValues.filter((q) => q <= alpha).length;
  return 1 - (Math.max(rejected, 1) * alpha) / m;
}
