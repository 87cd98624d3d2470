import pLimit from "p-limit";
import { ProviderError, type LanguageModel } from "../providers/index.js";
import type { ScorePair } from "../report/index.js";
import type { CallLedger } from "./call-ledger.js";
import type { Example, Fields, Program } from "./example.js";
import type { Metric } from "./metrics/metric.js";
import { predict } from "./predict.js";
import { traditionalOutputs, traditionalRequest, type TraditionalStep } from "./traditional-arm.js";

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
}

/** One arm's tallies beside the pairs. */
export interface ArmTally {
  /** Calls that failed with a provider error (scored 0), by error code. */
  errors: Record<string, number>;
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

/**
 * Runs the traditional prompt and the compiled program on the same dev inputs (paired), scoring both
 * with the step's metric, at most `concurrency` examples at a time. A provider error scores that arm 0
 * and is tallied; the pair is kept so both arms stay paired. Pairs come back in dev-set order.
 */
export async function evaluatePaired(options: EvaluatePairedOptions): Promise<PairedEvaluation> {
  const limit = pLimit(options.concurrency ?? 4);
  const traditional: ArmTally = { errors: {}, parseFailures: 0 };
  const optimized: ArmTally = { errors: {}, parseFailures: 0 };
  const { signature } = options.program;
  const pairs = await Promise.all(
    options.devset.map((example) =>
      limit(async (): Promise<ScorePair> => {
        const score = (o: Fields) => options.metric.score(example.outputs, o, example.inputs);
        const [t, o] = await Promise.all([
          arm(
            traditional,
            async () => {
              const response = await options.ledger.call(
                options.lm,
                "ab",
                traditionalRequest(options.step, signature, example.inputs, {
                  model: options.model,
                }),
              );
              const original = response.uncached ?? response;
              return {
                outputs: traditionalOutputs(signature, response.text),
                latencyMs: original.latencyMs,
                costUsd: original.costUsd,
              };
            },
            score,
          ),
          arm(
            optimized,
            async () => {
              const p = await predict(options.program, example.inputs, options.lm, options.ledger, {
                model: options.model,
                kind: "ab",
                step: options.step.name,
              });
              return {
                outputs: p.kind === "parsed" ? p.outputs : undefined,
                latencyMs: p.latencyMs,
                costUsd: p.costUsd,
              };
            },
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
