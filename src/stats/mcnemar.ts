/**
 * Exact (binomial) McNemar test, two-sided: under H0 the b discordant pairs where only the
 * traditional arm passed and the c where only the optimized arm passed are Binomial(b + c, 1/2).
 * p = min(1, 2 · P(X ≤ min(b, c))). Returns 1 when there are no discordant pairs.
 * See https://en.wikipedia.org/wiki/McNemar%27s_test#Variations (exact binomial form).
 */
export function exactMcNemarP(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // Sum C(n, i) / 2^n term by term: exact in binary floating point for small n; past n ≈ 1000
  // 2^-n underflows, so large n sums in log space instead.
  let tail = 0;
  if (n <= 1000) {
    let term = 2 ** -n;
    tail = term;
    for (let i = 1; i <= k; i++) {
      term = (term * (n - i + 1)) / i;
      tail += term;
    }
  } else {
    let logTerm = -n * Math.LN2;
    tail = Math.exp(logTerm);
    for (let i = 1; i <= k; i++) {
      logTerm += Math.log(n - i + 1) - Math.log(i);
      tail += Math.exp(logTerm);
    }
  }
  return Math.min(1, 2 * tail);
}
