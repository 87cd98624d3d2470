import { pathToFileURL } from "node:url";
import {
  pairedSampleSize,
  pairedTTest,
  percentile,
  seededRandom,
  studentTQuantile,
} from "../src/stats/index.js";

/**
 * Sample size and variance floor (issue 14), by simulation; figures in docs/PERFORMANCE.md.
 *
 * 1. Achieved power of the recommended n. For each scenario (a true distribution of paired
 *    differences), draw a pilot of `pilot` pairs, compute the pairs the report recommends from the
 *    pilot's Δ and sd (`pairedSampleSize`, α 0.05, power 0.8, cap 10× the pilot or 2,000), then
 *    measure the power a paired t test of that many pairs really has under the true distribution
 *    (Monte Carlo, memoised per n). The report gives the number only for inconclusive verdicts, so
 *    the figures are over inconclusive pilots: the median and the spread of the achieved power, the
 *    share called too small to chase, the n the true parameters need (the oracle), and for
 *    comparison the median over every pilot.
 * 2. Variance floor. For null and signal scenarios, binary and continuous, the rate at which the 95%
 *    paired t interval excludes 0 (false positives under the null, power otherwise) and its coverage
 *    of the true Δ, with the floor (`pairedTTest`) and without it (the textbook t interval).
 */

type Draw = (random: () => number) => number;

interface Scenario {
  name: string;
  draw: Draw;
  /** True mean and sd of the differences. */
  delta: number;
  sd: number;
}

const normal = (random: () => number) => {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
};

/** Paired 0/1 scores: optimized wins with probability `win`, loses with `loss`, else a tie. */
function binary(win: number, loss: number): Scenario {
  const delta = win - loss;
  return {
    name: `binary: win ${win}, loss ${loss}`,
    draw: (random) => {
      const u = random();
      return u < win ? 1 : u < win + loss ? -1 : 0;
    },
    delta,
    sd: Math.sqrt(win + loss - delta ** 2),
  };
}

/** Continuous differences: N(delta, sd²) clipped to [−1, 1] (scores in [0, 1]). */
function continuous(delta: number, sd: number): Scenario {
  return {
    name: `continuous: N(${delta}, ${sd}²)`,
    draw: (random) => Math.max(-1, Math.min(1, delta + sd * normal(random))),
    delta,
    sd,
  };
}

const sample = (scenario: Scenario, n: number, random: () => number) =>
  Array.from({ length: n }, () => scenario.draw(random));

/** The textbook paired t test without the variance floor: does its 95% interval exclude 0, and cover `truth`? */
function plainT(d: number[], truth: number): { rejects: boolean; covers: boolean } {
  const n = d.length;
  const mean = d.reduce((a, b) => a + b, 0) / n;
  const se = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) / n);
  if (se === 0) return { rejects: mean !== 0, covers: mean === truth };
  const half = tQuantile975(n - 1) * se;
  return { rejects: Math.abs(mean) > half, covers: Math.abs(mean - truth) <= half };
}

const tCache = new Map<number, number>();
function tQuantile975(df: number): number {
  const q = tCache.get(df) ?? studentTQuantile(0.975, df);
  tCache.set(df, q);
  return q;
}

/** Power of the (floored) paired t test with n pairs under `scenario`: rejections in the true direction. */
function powerAt(scenario: Scenario, n: number, trials: number, seed: number): number {
  const random = seededRandom(seed);
  let hits = 0;
  for (let t = 0; t < trials; t++) {
    const test = pairedTTest(sample(scenario, n, random));
    if (test.p_value < 0.05 && Math.sign(test.delta) === Math.sign(scenario.delta)) hits++;
  }
  return hits / trials;
}

interface PowerFigures {
  oracle: number;
  /** Pilots whose verdict was inconclusive (the only ones the report gives a number for). */
  inconclusive: number;
  /** Of those, called too small to chase. */
  tooSmall: number;
  medianN: number;
  power: { p10: number; p25: number; median: number; p75: number; p90: number };
  /** Median achieved power had the recommendation been given for every pilot (not too small). */
  allPilotsMedian: number;
}

function achievedPower(
  scenario: Scenario,
  pilot: number,
  pilots: number,
  trials: number,
): PowerFigures {
  const random = seededRandom(1234 + pilot);
  const memo = new Map<number, number>();
  const powerOf = (n: number) => {
    let power = memo.get(n);
    if (power === undefined) {
      power = powerAt(scenario, n, trials, 99 + n);
      memo.set(n, power);
    }
    return power;
  };
  const achieved: number[] = [];
  const all: number[] = [];
  const ns: number[] = [];
  let inconclusive = 0;
  let tooSmall = 0;
  for (let i = 0; i < pilots; i++) {
    const test = pairedTTest(sample(scenario, pilot, random));
    const size = pairedSampleSize({
      delta: test.delta,
      sd: test.se * Math.sqrt(pilot),
      currentPairs: pilot,
    });
    const open = test.ci[0] <= 0 && test.ci[1] >= 0;
    if (open) inconclusive++;
    if (size === null || size.tooSmall) {
      if (open) tooSmall++;
      continue;
    }
    // What the report recommends: at least one more pair than the pilot (src/report/needed-examples.ts).
    const n = Math.max(size.pairs, pilot + 1);
    all.push(powerOf(n));
    if (!open) continue;
    achieved.push(powerOf(n));
    ns.push(n);
  }
  const q = (p: number) => (achieved.length ? percentile(achieved, p) : Number.NaN);
  return {
    oracle: pairedSampleSize({ delta: scenario.delta, sd: scenario.sd })!.pairs,
    inconclusive,
    tooSmall,
    medianN: ns.length ? percentile(ns, 0.5) : Number.NaN,
    power: { p10: q(0.1), p25: q(0.25), median: q(0.5), p75: q(0.75), p90: q(0.9) },
    allPilotsMedian: all.length ? percentile(all, 0.5) : Number.NaN,
  };
}

interface FloorFigures {
  scenario: string;
  n: number;
  rejectFloor: number;
  rejectPlain: number;
  coverFloor: number;
  coverPlain: number;
  zeroVariance: number;
}

function floorCheck(scenario: Scenario, n: number, sets: number): FloorFigures {
  const random = seededRandom(777 + n);
  let rejectFloor = 0;
  let rejectPlain = 0;
  let coverFloor = 0;
  let coverPlain = 0;
  let zero = 0;
  for (let i = 0; i < sets; i++) {
    const d = sample(scenario, n, random);
    const floored = pairedTTest(d);
    const plain = plainT(d, scenario.delta);
    if (d.every((x) => x === d[0])) zero++;
    if (floored.ci[0] > 0 || floored.ci[1] < 0) rejectFloor++;
    if (plain.rejects) rejectPlain++;
    if (floored.ci[0] <= scenario.delta && scenario.delta <= floored.ci[1]) coverFloor++;
    if (plain.covers) coverPlain++;
  }
  return {
    scenario: scenario.name,
    n,
    rejectFloor: rejectFloor / sets,
    rejectPlain: rejectPlain / sets,
    coverFloor: coverFloor / sets,
    coverPlain: coverPlain / sets,
    zeroVariance: zero / sets,
  };
}

const pct = (x: number | null) =>
  x === null || Number.isNaN(x) ? "–" : `${(100 * x).toFixed(1)}%`;

async function main(): Promise<void> {
  const started = Date.now();
  const pilots = Number(process.env.SAMPLE_SIZE_PILOTS ?? 400);
  const trials = Number(process.env.SAMPLE_SIZE_TRIALS ?? 1000);
  const scenarios = [
    binary(0.25, 0.1),
    binary(0.2, 0.1),
    binary(0.3, 0.1),
    binary(0.15, 0.05),
    continuous(0.1, 0.3),
    continuous(0.05, 0.15),
    continuous(0.2, 0.4),
  ];
  console.log(
    `achieved power of the recommended n (α 0.05, target 0.8): ${pilots} pilots per row, power of each n from ${trials} data sets`,
  );
  console.log(
    "| scenario | true δ/sd | pilot pairs | oracle n | inconclusive pilots | of which too small | median recommended n | achieved power p10 / p25 / **median** / p75 / p90 | median, every pilot |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const s of scenarios)
    for (const pilot of [20, 40]) {
      const f = achievedPower(s, pilot, pilots, trials);
      console.log(
        `| ${s.name} | ${(s.delta / s.sd).toFixed(2)} | ${pilot} | ${f.oracle} | ${pct(f.inconclusive / pilots)} | ${pct(f.tooSmall / Math.max(1, f.inconclusive))} | ${f.medianN} | ${pct(f.power.p10)} / ${pct(f.power.p25)} / **${pct(f.power.median)}** / ${pct(f.power.p75)} / ${pct(f.power.p90)} | ${pct(f.allPilotsMedian)} |`,
      );
    }
  const sets = Number(process.env.FLOOR_SETS ?? 20000);
  console.log(
    `\nvariance floor: 95% interval excludes 0 (null: false positives, else power) and covers the true Δ, ${sets} data sets per row`,
  );
  console.log(
    "| scenario | n | zero sample variance | excludes 0, floor / textbook | covers Δ, floor / textbook |",
  );
  console.log("|---|---|---|---|---|");
  const floorScenarios = [
    binary(0.1, 0.1),
    binary(0.02, 0.02),
    binary(0, 0),
    continuous(0, 0.05),
    continuous(0, 0.2),
    binary(0.25, 0.1),
    binary(0.1, 0),
    binary(0.03, 0),
    continuous(0.03, 0.05),
    continuous(0.05, 0.1),
    continuous(0.1, 0.3),
  ];
  for (const s of floorScenarios)
    for (const n of [20, 48]) {
      const f = floorCheck(s, n, sets);
      console.log(
        `| ${f.scenario} | ${n} | ${pct(f.zeroVariance)} | ${pct(f.rejectFloor)} / ${pct(f.rejectPlain)} | ${pct(f.coverFloor)} / ${pct(f.coverPlain)} |`,
      );
    }
  console.log(`\nwall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
