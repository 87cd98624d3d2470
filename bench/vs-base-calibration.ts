import {
  buildAbBlock,
  compareWithBaseline,
  emptyCacheReport,
  type RunReport,
  type StepReport,
} from "../src/report/index.js";
import { seededRandom } from "../src/stats/index.js";

/**
 * "vs base" calibration (issue 14): a pull-request run against the base branch's saved run, three
 * steps each, pass/fail scores on the same 40 held-out examples. Null: nothing changed, both runs draw
 * each example's pass with its own probability (a model at temperature > 0: the same example passes
 * or fails by chance, and easy examples pass more often). Signal: the pull request lifts one step's
 * pass probability by `lift` on every example. Counts how often a step is called worse or better than
 * on the base branch, and how often the signal step is found.
 */

const EXAMPLES = 40;
const STEPS = 3;
const DATA_SETS = 4000;

function step(name: string, scores: number[], ids: string[]): StepReport {
  const ab = buildAbBlock({
    source: "evaluation",
    metric: "exact_match",
    pairs: scores.map((s) => ({ traditional: 0, optimized: s })),
    seed: 0,
    heldout: {
      split: "test",
      folds: null,
      n_labelled: 100,
      n_train: 40,
      n_validation: 20,
      floor: 10,
      parse_failures: { traditional: 0, optimized: 0 },
      ids,
    },
  });
  return {
    name,
    type: "claude",
    route: "optimized",
    decision: { route: "optimized", reason: "bench", estimated_benefit: null },
    status: "success",
    fallback: null,
    error: null,
    metrics: { latency_ms: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, quality: null },
    ab,
  };
}

function run(steps: StepReport[]): RunReport {
  return {
    schema_version: 2,
    tool: { name: "hybrid-pipeline", version: "bench" },
    workflow: "bench",
    file: "bench.yaml",
    mode: "hybrid",
    mode_source: "run_option",
    provider: "sim",
    simulated: true,
    status: "success",
    started_at: "2026-12-04T00:00:00.000Z",
    duration_ms: 0,
    steps,
    cache: emptyCacheReport(),
    lm_calls: { step: 0, optimize: 0, evaluate: 0, judge: 0 },
    errors: { traditional: {}, optimized: {} },
    budget: { limit_usd: null, spent_usd: 0, exhausted: false },
    warnings: [],
  };
}

function calibrate(lift: number, seed: number) {
  const random = seededRandom(seed);
  const ids = Array.from({ length: EXAMPLES }, (_, i) => `ex-${i}`);
  let worse = 0;
  let better = 0;
  let signalFound = 0;
  for (let d = 0; d < DATA_SETS; d++) {
    const base: StepReport[] = [];
    const now: StepReport[] = [];
    for (let s = 0; s < STEPS; s++) {
      const pass = ids.map(() => 0.2 + 0.6 * random());
      const draw = (extra: number) => pass.map((p) => (random() < Math.min(1, p + extra) ? 1 : 0));
      base.push(step(`s${s}`, draw(0), ids));
      now.push(step(`s${s}`, draw(s === 0 ? lift : 0), ids));
    }
    const [compared] = compareWithBaseline([run(now)], {
      branch: "main",
      sha: null,
      reports: [run(base)],
    });
    if (compared!.baseline?.note) throw new Error(compared!.baseline.note);
    compared!.steps.forEach((st, s) => {
      const verdict = st.vs_base?.comparable ? st.vs_base.verdict : undefined;
      if (lift === 0 || s > 0) {
        if (verdict === "worse") worse++;
        if (verdict === "better") better++;
      } else if (verdict === "better") signalFound++;
    });
  }
  const nullSteps = DATA_SETS * (lift === 0 ? STEPS : STEPS - 1);
  return { worse: worse / nullSteps, better: better / nullSteps, power: signalFound / DATA_SETS };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const started = Date.now();
const nothing = calibrate(0, 1);
console.log(
  `null (${DATA_SETS} runs × ${STEPS} unchanged steps, ${EXAMPLES} examples, pass rates 0.2–0.8 per example): called worse ${pct(nothing.worse)}, better ${pct(nothing.better)} (each side's rule: ≤ 2.5%)`,
);
for (const lift of [0.1, 0.2]) {
  const r = calibrate(lift, 2);
  console.log(
    `lift +${lift} on 1 of ${STEPS} steps: found better ${pct(r.power)} · unchanged steps called worse ${pct(r.worse)}, better ${pct(r.better)}`,
  );
}
console.log(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
