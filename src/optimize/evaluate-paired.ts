import pLimit from "p-limit";
import { ProviderError, type LanguageModel } from "../providers/index.js";
import type { ScorePair } from "../report/index.js";
import type { CallLedger } from "./call-ledger.js";
import type { Example, Fields, Program } from "./example.js";
import type { Metric } from "./metrics/metric.js";
import { answerWithRetry, predict, type Prediction } from "./predict.js";
import {
  answerText,
  keepRegressions,
  regressionOf,
  type HeldoutRegression,
} from "./regressions.js";
import { traditionalRequest, type TraditionalStep } from "./traditional-arm.js";

/** What `evaluatePaired` needs: the step, both programs, the dev set, the model and the metric. */
export interface EvaluatePairedOptions {
  step: TraditionalStep;
  /** The compiled program; its signature also shapes the traditional arm's outputs. */
  program: Program;
  devset: Example[];
  lm: LanguageModel;
  ledger: CallLedger;
  model: string;
  metric: Metric;
  /** Examples evaluated at once (each runs both arms). @default 4 */
  concurrency?: number;
  /**
   * Runs of each example per arm; each run carries a `rolloutId`, so at temperature > 0 the repeats
   * are distinct samples (the pair's score per arm is their mean). @default 1
   */
  repeats?: number;
  /** Temperature of the evaluation calls. @default 0 */
  temperature?: number;
  /**
   * The traditional arm when the step has no prompt of its own: the zero-shot program (the
   * signature's instructions, no demos). @default the program without its demos
   */
  baseline?: Program;
  /** Values redacted from the answers kept with `regressions`. @default [] (credential shapes only) */
  secrets?: readonly string[];
}

/** One arm's tallies beside the pairs. */
export interface ArmTally {
  /** Calls that failed with a provider error (scored 0), by error code. */
  errors: Record<string, number>;
  /** Answers the output adapter could not read even after the JSON retry (scored 0; validity). */
  parseFailures: number;
}

/** Per-pair scores with latency and cost of each arm, plus each arm's error tallies. */
export interface PairedEvaluation {
  pairs: ScorePair[];
  /** With repeats > 1: each example's share of passing runs per arm (score ≥ the metric's pass mark). */
  passRates?: Array<{ traditional: number; optimized: number }>;
  traditional: ArmTally;
  optimized: ArmTally;
  /** Examples the optimized arm failed and the traditional passed: the largest drops, at most 5. */
  regressions: HeldoutRegression[];
}

interface ArmResult {
  score: number;
  latencyMs: number;
  costUsd: number | null;
  /** What the arm answered: its outputs, the unreadable text, or the provider error. */
  answer: string;
}

type ArmRun = {
  outputs: Fields | undefined;
  text: string;
  latencyMs: number;
  costUsd: number | null;
};

async function arm(
  tally: ArmTally,
  run: () => Promise<ArmRun>,
  score: (o: Fields) => Promise<number>,
): Promise<ArmResult> {
  try {
    const r = await run();
    const spent = { latencyMs: r.latencyMs, costUsd: r.costUsd, answer: r.text };
    if (r.outputs === undefined) {
      tally.parseFailures++;
      return { score: 0, ...spent };
    }
    return { score: await score(r.outputs), ...spent };
  } catch (error) {
    if (!(error instanceof ProviderError) || error.code === "budget_exhausted") throw error;
    tally.errors[error.code] = (tally.errors[error.code] ?? 0) + 1;
    return {
      score: 0,
      latencyMs: 0,
      costUsd: 0,
      answer: `(no answer: provider error ${error.code})`,
    };
  }
}

const armOutputs = (p: Prediction): ArmRun => ({
  outputs: p.kind === "parsed" ? p.outputs : undefined,
  text: p.kind === "parsed" ? answerText(p.outputs) : p.text,
  latencyMs: p.latencyMs,
  costUsd: p.costUsd,
});

/**
 * The traditional arm on one input: the step's own prompt with the example's inputs in place, else
 * (no prompt) the zero-shot program; read by the same output adapter and JSON retry as the optimized
 * arm, so the comparison measures quality, not format compliance (reported apart as validity).
 */
async function traditionalArm(options: EvaluatePairedOptions, inputs: Fields, roll: Roll) {
  const { signature } = options.program;
  if (options.step.prompt === undefined) {
    const baseline = options.baseline ?? { ...options.program, demos: [] };
    return armOutputs(
      await predict(baseline, inputs, options.lm, options.ledger, {
        model: options.model,
        kind: "ab",
        step: options.step.name,
        ...roll,
      }),
    );
  }
  const request = {
    ...traditionalRequest(options.step, signature, inputs, { model: options.model }),
    ...roll,
  };
  return armOutputs(
    await answerWithRetry(signature, request, options.lm, options.ledger, { kind: "ab" }),
  );
}

/** The sampling of one run: its temperature and, for repeats, its rollout id. */
interface Roll {
  temperature: number;
  rolloutId?: string;
}

const meanOf = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const sumCost = (values: Array<number | null>) =>
  values.some((v) => v === null) ? null : (values as number[]).reduce((a, b) => a + b, 0);

/**
 * Runs the traditional prompt and the compiled program on the same dev inputs (paired), scoring both
 * with the step's metric, at most `concurrency` examples at a time. A provider error scores that arm 0
 * and is tallied; the pair is kept so both arms stay paired. Pairs come back in dev-set order. With
 * `repeats` > 1 each example runs that many times per arm (each run with its own `rolloutId`); its pair
 * holds the mean scores and `passRates` each arm's share of passing runs. Examples whose optimized
 * arm fails while the traditional passes (the metric's pass mark, as for `passRates`) come back as
 * `regressions`, with both answers redacted and cut, so a reader sees what went wrong.
 */
export async function evaluatePaired(options: EvaluatePairedOptions): Promise<PairedEvaluation> {
  const limit = pLimit(options.concurrency ?? 4);
  const traditional: ArmTally = { errors: {}, parseFailures: 0 };
  const optimized: ArmTally = { errors: {}, parseFailures: 0 };
  const repeats = Math.max(1, options.repeats ?? 1);
  const temperature = options.temperature ?? 0;
  const pass = options.metric.passThreshold;
  const results = await Promise.all(
    options.devset.map((example) =>
      limit(async () => {
        const score = (o: Fields) => options.metric.score(example.outputs, o, example.inputs);
        const runs: Array<[ArmResult, ArmResult]> = [];
        for (let k = 0; k < repeats; k++) {
          const roll: Roll =
            repeats > 1 ? { temperature, rolloutId: `${example.id}#${k}` } : { temperature };
          runs.push(
            await Promise.all([
              arm(traditional, () => traditionalArm(options, example.inputs, roll), score),
              arm(
                optimized,
                async () =>
                  armOutputs(
                    await predict(options.program, example.inputs, options.lm, options.ledger, {
                      model: options.model,
                      kind: "ab",
                      step: options.step.name,
                      ...roll,
                    }),
                  ),
                score,
              ),
            ]),
          );
        }
        const t = runs.map((r) => r[0]);
        const o = runs.map((r) => r[1]);
        // The example is the unit of the paired test: repeats average within it, never count as examples.
        const pair: ScorePair = {
          traditional: meanOf(t.map((r) => r.score)),
          optimized: meanOf(o.map((r) => r.score)),
          latency_ms: {
            traditional: meanOf(t.map((r) => r.latencyMs)),
            optimized: meanOf(o.map((r) => r.latencyMs)),
          },
          cost_usd: {
            traditional: sumCost(t.map((r) => r.costUsd)),
            optimized: sumCost(o.map((r) => r.costUsd)),
          },
        };
        const rate = (rs: ArmResult[]) => rs.filter((r) => r.score >= pass).length / rs.length;
        const regression = regressionOf(
          example,
          pair,
          { traditional: t, optimized: o },
          pass,
          options.secrets,
        );
        return { pair, passRate: { traditional: rate(t), optimized: rate(o) }, regression };
      }),
    ),
  );
  return {
    pairs: results.map((r) => r.pair),
    ...(repeats > 1 ? { passRates: results.map((r) => r.passRate) } : {}),
    traditional,
    optimized,
    regressions: keepRegressions(results.flatMap((r) => (r.regression ? [r.regression] : []))),
  };
}
