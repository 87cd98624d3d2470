/** A Beta posterior over an arm's online score (a judged pair: 1, 0 or ½), updated with fractional successes. */
export interface BetaArm {
  alpha: number;
  beta: number;
}

export const uniformPrior: BetaArm = { alpha: 1, beta: 1 };

export function observeScore(arm: BetaArm, score: number): BetaArm {
  const s = Math.min(1, Math.max(0, score));
  return { alpha: arm.alpha + s, beta: arm.beta + 1 - s };
}

function standardNormal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Marsaglia & Tsang (2000), "A Simple Method for Generating Gamma Variables", for shape ≥ 1; boosted below 1. */
function sampleGamma(shape: number, random: () => number): number {
  if (shape < 1) return sampleGamma(shape + 1, random) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = standardNormal(random);
    const v = Math.pow(1 + c * x, 3);
    if (v <= 0) continue;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function sampleBeta(arm: BetaArm, random: () => number): number {
  const x = sampleGamma(arm.alpha, random);
  const y = sampleGamma(arm.beta, random);
  return x / (x + y);
}

/** Monte-Carlo estimate of P(optimized's quality > traditional's) under the two posteriors. */
export function probabilityOptimizedBetter(
  traditional: BetaArm,
  optimized: BetaArm,
  random: () => number,
  draws = 256,
): number {
  let wins = 0;
  for (let i = 0; i < draws; i++)
    if (sampleBeta(optimized, random) > sampleBeta(traditional, random)) wins++;
  return wins / draws;
}

/**
 * Thompson sampling with a floor: each arm is served with probability at least `minShare`
 * (exploration never stops while the A/B runs), otherwise the arm whose posterior draw is higher.
 */
export function thompsonArm(
  traditional: BetaArm,
  optimized: BetaArm,
  random: () => number,
  minShare: number,
): "traditional" | "optimized" {
  if (random() < 2 * minShare) return random() < 0.5 ? "traditional" : "optimized";
  return sampleBeta(optimized, random) >= sampleBeta(traditional, random)
    ? "optimized"
    : "traditional";
}
