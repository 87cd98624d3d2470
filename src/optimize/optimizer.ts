import pLimit from "p-limit";
import type { LanguageModel } from "../providers/index.js";
import { isBudgetExhausted, type CallKind, type CallLedger } from "./call-ledger.js";
import type { Example, Program } from "./example.js";
import type { Metric } from "./metrics/metric.js";
import type { SearchLog } from "./optimizers/search-log.js";
import { predict } from "./predict.js";

/** The optimizer names of `dspy_config.evaluation_mode` / `--optimizer`. */
export type OptimizerName =
  | "labeled_few_shot"
  | "bootstrap_few_shot"
  | "bootstrap_few_shot_random_search"
  | "copro"
  | "mipro";

/** Optimizer settings, DSPy's names (`dspy_config.optimizer_options`). */
export interface OptimizerParams {
  /** @default 4 */
  max_bootstrapped_demos: number;
  /** @default 16 */
  max_labeled_demos: number;
  /** @default 1 */
  max_rounds: number;
  /** Random-search candidates after the three fixed ones. @default 8 */
  num_candidate_programs: number;
  /** Instruction candidates per round of the instruction search. @default 4 */
  breadth: number;
  /** Rounds of the instruction search. @default 2 */
  depth: number;
  /** Bootstrap pass mark; the metric's own pass threshold when null. @default null */
  metric_threshold: number | null;
  /** @default 0 */
  seed: number;
  /** MIPROv2 run size (DSPy 3.0's `auto`); null uses `num_candidates` and `num_trials`. @default "light" */
  auto: "light" | "medium" | "heavy" | null;
  /** MIPROv2 candidates when `auto` is null. @default null */
  num_candidates: number | null;
  /** MIPROv2 Bayesian-search trials when `auto` is null. @default null (DSPy's formula) */
  num_trials: number | null;
  /** MIPROv2 minibatch size (DSPy's default). @default 35 */
  minibatch_size: number;
  /** MIPROv2 minibatch trials between full evaluations (DSPy's default). @default 5 */
  minibatch_full_eval_steps: number;
  /** Training examples per data-summary call of the MIPROv2 proposer (DSPy's default). @default 10 */
  view_data_batch_size: number;
}

/** The defaults (DSPy's BootstrapFewShot: 4 bootstrapped, 16 labelled, 1 round). */
export const defaultOptimizerParams: OptimizerParams = {
  max_bootstrapped_demos: 4,
  max_labeled_demos: 16,
  max_rounds: 1,
  num_candidate_programs: 8,
  breadth: 4,
  depth: 2,
  metric_threshold: null,
  seed: 0,
  auto: "light",
  num_candidates: null,
  num_trials: null,
  minibatch_size: 35,
  minibatch_full_eval_steps: 5,
  view_data_batch_size: 10,
};

/** What an optimizer may use: the task model, the ledger that counts and limits calls, the metric, dev data. */
export interface CompileContext {
  lm: LanguageModel;
  ledger: CallLedger;
  metric: Metric;
  /** The task model id (also the teacher's and proposer's unless `proposalModel` is set). */
  model: string;
  proposalModel?: string;
  params: OptimizerParams;
  /** Examples candidates are scored on; the trainset when absent (DSPy's default). */
  valset?: Example[];
  /** Bounded concurrency of scoring. @default 4 */
  concurrency?: number;
  step?: string;
  /** Filled in by searching optimizers: trials, best validation score, `under_budget`. */
  log?: SearchLog;
}

/** An optimizer: turns a program and a trainset into a better program (DSPy's `Teleprompter.compile`). */
export interface Optimizer {
  name: OptimizerName;
  compile(program: Program, trainset: Example[], ctx: CompileContext): Promise<Program>;
}

/** Mean metric score of a program over examples, with parse failures counted (they score 0). */
export interface ProgramScore {
  mean: number;
  scores: number[];
  parseFailures: number;
}

/**
 * Scores a program on examples with bounded concurrency. Rejects with the ledger's budget error
 * when the budget runs out part-way, so a candidate is never judged on a partial set.
 */
export async function scoreProgram(
  program: Program,
  examples: Example[],
  ctx: CompileContext,
  kind: CallKind = "evaluation",
): Promise<ProgramScore> {
  const limit = pLimit(ctx.concurrency ?? 4);
  let parseFailures = 0;
  const scores = await Promise.all(
    examples.map((example) =>
      limit(async () => {
        const prediction = await predict(program, example.inputs, ctx.lm, ctx.ledger, {
          model: ctx.model,
          kind,
          ...(ctx.step ? { step: ctx.step } : {}),
        });
        if (prediction.kind === "parse_failed") {
          parseFailures++;
          return 0;
        }
        return ctx.metric.score(example.outputs, prediction.outputs, example.inputs);
      }),
    ),
  );
  const mean = scores.length === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / scores.length;
  return { mean, scores, parseFailures };
}

/** Runs `work`, turning a budget stop into `undefined` and letting every other error through. */
export async function untilBudget<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (isBudgetExhausted(error)) return undefined;
    throw error;
  }
}
