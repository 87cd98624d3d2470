import pLimit from "p-limit";
import { ProviderError, type LanguageModel } from "../providers/index.js";
import type { ScorePair } from "../report/index.js";
import type { CallLedger } from "./call-ledger.js";
import type { Example, Fields, Program } from "./example.js";
import type { Metric } from "./metrics/metric.js";
import { answerWithRetry, predict, type Prediction } from "./predict.js";
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
   * The traditional arm when the step has no prompt of its own: the zero-shot program (the
   * signature's instructions, no demos). @default the program without its demos
   */
  baseline?: Program;
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
  traditional: ArmTally;
  optimized: ArmTally;
}

interface ArmResult {
  score: number;
  latencyMs: number;
  costUsd: number | null;
}

async function arm(
  tally: ArmTally,
  run: () => Promise<{ outputs: Fields | undefined; latencyMs: number; costUsd: number | null }>,
  score: (o: Fields) => Promise<number>,
): Promise<ArmResult> {
  try {
    const r = await run();
    if (r.outputs === undefined) {
      tally.parseFailures++;
      return { score: 0, latencyMs: r.latencyMs, costUsd: r.costUsd };
    }
    return { score: await score(r.outputs), latencyMs: r.latencyMs, costUsd: r.costUsd };
  } catch (error) {
    if (!(error instanceof ProviderError) || error.code === "budget_exhausted") throw error;
    tally.errors[error.code] = (tally.errors[error.code] ?? 0) + 1;
    return { score: 0, latencyMs: 0, costUsd: 0 };
  }
}

const armOutputs = (p: Prediction) => ({
  outputs: p.kind === "parsed" ? p.outputs : undefined,
  latencyMs: p.latencyMs,
  costUsd: p.costUsd,
});

/**
 * The traditional arm on one input: the step's own prompt with the example's inputs in place, else
 * (no prompt) the zero-shot program; read by the same output adapter and JSON retry as the optimized
 * arm, so the comparison measures quality, not format compliance (reported apart as validity).
 */
async function traditionalArm(options: EvaluatePairedOptions, inputs: Fields) {
  const { signature } = options.program;
  if (options.step.prompt === undefined) {
    const baseline = options.baseline ?? { ...options.program, demos: [] };
    return armOutputs(
      await predict(baseline, inputs, options.lm, options.ledger, {
        model: options.model,
        kind: "ab",
        step: options.step.name,
      }),
    );
  }
  const request = traditionalRequest(options.step, signature, inputs, { model: options.model });
  return armOutputs(
    await answerWithRetry(signature, request, options.lm, options.ledger, { kind: "ab" }),
  );
}

/**
 * Runs the traditional prompt and the compiled program on the same dev inputs (paired), scoring both
 * with the step's metric, at most `concurrency` examples at a time. A provider error scores that arm 0
 * and is tallied; the pair is kept so both arms stay paired. Pairs come back in dev-set order.
 */
export async function evaluatePaired(options: EvaluatePairedOptions): Promise<PairedEvaluation> {
  const limit = pLimit(options.concurrency ?? 4);
  const traditional: ArmTally = { errors: {}, parseFailures: 0 };
  const optimized: ArmTally = { errors: {}, parseFailures: 0 };
  const pairs = await Promise.all(
    options.devset.map((example) =>
      limit(async (): Promise<ScorePair> => {
        const score = (o: Fields) => options.metric.score(example.outputs, o, example.inputs);
        const [t, o] = await Promise.all([
          arm(traditional, () => traditionalArm(options, example.inputs), score),
          arm(
            optimized,
            async () =>
              armOutputs(
                await predict(options.program, example.inputs, options.lm, options.ledger, {
                  model: options.model,
                  kind: "ab",
                  step: options.step.name,
                }),
              ),
            score,
          ),
        ]);
        return {
          traditional: t.score,
          optimized: o.score,
          latency_ms: { traditional: t.latencyMs, optimized: o.latencyMs },
          cost_usd: { traditional: t.costUsd, optimized: o.costUsd },
        };
      }),
    ),
  );
  return { pairs, traditional, optimized };
}
