import { seededRandom } from "../../stats/index.js";
import type { Demo, Example, Program } from "../example.js";
import {
  scoreProgram,
  untilBudget,
  type CompileContext,
  type Optimizer,
  type OptimizerParams,
} from "../optimizer.js";
import { seededShuffle } from "../split.js";
import { demoCandidates } from "./demo-candidates.js";
import { planMipro, type MiproPlan, type MiproSizes } from "./mipro-auto.js";
import { proposeInstructions, proposerCalls } from "./propose-instructions.js";
import { markUnderBudget, type SearchLog, type SearchTrial } from "./search-log.js";
import { TpeSampler } from "./tpe.js";

/** The MIPROv2 sizes of the optimizer options. */
export function miproSizes(params: OptimizerParams): MiproSizes {
  return {
    auto: params.auto,
    numCandidates: params.num_candidates,
    numTrials: params.num_trials,
    minibatchSize: params.minibatch_size,
    minibatchFullEvalSteps: params.minibatch_full_eval_steps,
    maxBootstrappedDemos: params.max_bootstrapped_demos,
    maxLabeledDemos: params.max_labeled_demos,
  };
}

/**
 * Fewest LM calls of the minimum search, assuming every teacher trace passes (a lower bound): the
 * bootstrapped demo sets, the proposer, the default program on the valset, one trial per
 * instruction candidate and, with minibatches, one full evaluation (a minibatch score alone never wins).
 */
export function miproMinimumCalls(plan: MiproPlan, trainSize: number, params: OptimizerParams) {
  const bootstrapSets = plan.zeroShot ? 1 : Math.max(0, plan.demoCandidates - 2);
  const perSet = Math.min(
    trainSize,
    plan.zeroShot ? 3 : Math.max(1, params.max_bootstrapped_demos),
  );
  const batch = plan.minibatch ? plan.minibatchSize : plan.valSize;
  return (
    bootstrapSets * perSet +
    (plan.instructionCandidates > 1
      ? proposerCalls(trainSize, params.view_data_batch_size, plan.instructionCandidates)
      : 0) +
    plan.valSize +
    plan.instructionCandidates * batch +
    (plan.minibatch ? plan.valSize : 0)
  );
}

/** Seeded sample without replacement (DSPy's `create_minibatch`). */
function sample<T>(items: T[], size: number, random: () => number): T[] {
  if (size >= items.length) return items;
  return seededShuffle(items, Math.floor(random() * 2 ** 32)).slice(0, size);
}

interface Combo {
  params: number[];
  scores: number[];
}

interface Best {
  program: Program;
  score: number;
  params: number[];
}

/** The search state of one compile. */
class Search {
  readonly trials: SearchTrial[] = [];
  readonly combos = new Map<string, Combo>();
  readonly fullyEvaluated = new Set<string>();
  best: Best | undefined;

  constructor(
    readonly instructions: string[],
    readonly demoSets: Demo[][],
    readonly program: Program,
  ) {}

  build(params: number[]): Program {
    return {
      ...this.program,
      instructions: this.instructions[params[0]!]!,
      demos: this.demoSets[params[1] ?? 0] ?? [],
    };
  }

  record(kind: SearchTrial["kind"], params: number[], score: number, n: number): void {
    this.trials.push({
      trial: this.trials.length,
      kind,
      instruction: params[0]!,
      ...(params[1] === undefined ? {} : { demo_set: params[1] }),
      score,
      n,
    });
    if (kind === "minibatch") return;
    this.fullyEvaluated.add(params.join(","));
    // Strictly better only: on ties the earlier (default first) stays, as DSPy keeps it.
    if (this.best === undefined || score > this.best.score)
      this.best = { program: this.build(params), score, params };
  }

  /** DSPy's `get_program_with_highest_avg_score`: best mean minibatch score not yet fully evaluated. */
  nextFullEvaluation(): number[] | undefined {
    let top: { params: number[]; mean: number } | undefined;
    for (const [key, combo] of this.combos) {
      if (this.fullyEvaluated.has(key)) continue;
      const mean = combo.scores.reduce((a, b) => a + b, 0) / combo.scores.length;
      if (top === undefined || mean > top.mean) top = { params: combo.params, mean };
    }
    return top?.params;
  }
}

function finish(log: SearchLog | undefined, search: Search, plan: MiproPlan): void {
  if (!log) return;
  log.trials = search.trials;
  log.instructions = search.instructions;
  log.best_score = search.best?.score ?? null;
  log.best = search.best
    ? {
        instruction: search.best.params[0]!,
        ...(plan.zeroShot ? {} : { demo_set: search.best.params[1] ?? 0 }),
      }
    : null;
  const searched = search.trials.filter((t) => t.kind !== "default").length;
  const fullyEvaluated = search.trials.filter((t) => t.kind === "full").length;
  if (search.trials.length === 0 || searched < plan.instructionCandidates)
    markUnderBudget(
      log,
      `the call budget ran out after ${searched} of the ${plan.instructionCandidates} trials of the minimum search (default program + one trial per instruction candidate)`,
    );
  else if (plan.minibatch && fullyEvaluated === 0)
    markUnderBudget(
      log,
      "the call budget ran out before any minibatch winner was fully evaluated: only the default program was scored on the whole validation split",
    );
  else if (search.instructions.length < plan.instructionCandidates)
    markUnderBudget(
      log,
      `the call budget ran out while proposing instructions (${search.instructions.length} of ${plan.instructionCandidates})`,
    );
}

/**
 * DSPy 3.0's MIPROv2 (stanfordnlp/dspy, dspy/teleprompt/mipro_optimizer_v2.py) for one predictor:
 * demo-set candidates from the bootstrap seeds, instruction candidates from the grounded proposer,
 * then the default program fully evaluated and `num_trials` TPE trials over (instruction, demo set),
 * each scored on a minibatch of the valset (or all of it when the valset is no larger than a
 * minibatch); every `minibatch_full_eval_steps` trials and at the end, the combination with the best
 * average minibatch score is fully evaluated. Returns the best fully evaluated combination.
 * A budget that cannot cover the minimum search is said in `ctx.log` (`under_budget`); when even its
 * lower bound does not fit, nothing is spent and the program comes back unchanged.
 */
export const miproV2: Optimizer = {
  name: "mipro",
  async compile(program: Program, trainset: Example[], ctx: CompileContext): Promise<Program> {
    const random = seededRandom(ctx.params.seed * 7919 + 9);
    const fullVal = ctx.valset ?? trainset;
    const plan = planMipro(miproSizes(ctx.params), fullVal.length);
    const valset = sample(fullVal, plan.valSize, random);
    const minimum = miproMinimumCalls(plan, trainset.length, ctx.params);
    if (ctx.log) ctx.log.minimum_calls = minimum;
    if (ctx.ledger.remaining < minimum) {
      markUnderBudget(
        ctx.log,
        `a budget of ${ctx.ledger.remaining} LM calls cannot cover MIPROv2's minimum search (at least ${minimum} calls: demo sets, proposals, the default program and one trial per instruction candidate); nothing was searched`,
      );
      return program;
    }
    const demoSets = await demoCandidates(
      program,
      trainset,
      ctx,
      plan.demoCandidates,
      plan.zeroShot,
    );
    const instructions = await proposeInstructions(
      program,
      trainset,
      demoSets,
      plan.instructionCandidates,
      ctx,
      random,
    );
    const searchSets = plan.zeroShot || demoSets.length === 0 ? [program.demos] : demoSets;
    const search = new Search(instructions, searchSets, program);
    await runSearch(search, plan, valset, ctx, random);
    finish(ctx.log, search, plan);
    return search.best?.program ?? program;
  },
};

async function runSearch(
  search: Search,
  plan: MiproPlan,
  valset: Example[],
  ctx: CompileContext,
  random: () => number,
): Promise<void> {
  const initial = await untilBudget(() => scoreProgram(search.program, valset, ctx));
  if (initial === undefined) return;
  const defaultParams = plan.zeroShot ? [0] : [0, 0];
  // The default program is (instruction 0, demo set 0) when it has no demos, as in DSPy's first trial.
  search.trials.push({
    trial: 0,
    kind: "default",
    instruction: 0,
    ...(plan.zeroShot ? {} : { demo_set: 0 }),
    score: initial.mean,
    n: valset.length,
  });
  search.best = { program: search.program, score: initial.mean, params: defaultParams };
  if (search.program.demos.length === 0) search.fullyEvaluated.add(defaultParams.join(","));
  const choices = plan.zeroShot
    ? [search.instructions.length]
    : [search.instructions.length, search.demoSets.length];
  const tpe = new TpeSampler({ choices }, random);
  tpe.tell({ params: defaultParams, value: initial.mean });
  const fullEvaluation = async (): Promise<boolean> => {
    const next = search.nextFullEvaluation();
    if (next === undefined) return true;
    const full = await untilBudget(() => scoreProgram(search.build(next), valset, ctx));
    if (full === undefined) return false;
    tpe.tell({ params: next, value: full.mean });
    search.record("full", next, full.mean, valset.length);
    return true;
  };
  for (let t = 1; t <= plan.numTrials; t++) {
    // A minibatch score never wins by itself: when the budget has room for one more minibatch or
    // for the full evaluation of the best average so far, but not both, the full evaluation goes first.
    if (plan.minibatch && ctx.ledger.remaining < plan.minibatchSize + valset.length) {
      await fullEvaluation();
      return;
    }
    const params = tpe.suggest();
    const batch = plan.minibatch ? sample(valset, plan.minibatchSize, random) : valset;
    const scored = await untilBudget(() => scoreProgram(search.build(params), batch, ctx));
    if (scored === undefined) return;
    tpe.tell({ params, value: scored.mean });
    if (!plan.minibatch) {
      search.record("full", params, scored.mean, batch.length);
      continue;
    }
    search.record("minibatch", params, scored.mean, batch.length);
    const key = params.join(",");
    const combo = search.combos.get(key) ?? { params, scores: [] };
    combo.scores.push(scored.mean);
    search.combos.set(key, combo);
    if (t % plan.minibatchFullEvalSteps !== 0 && t !== plan.numTrials) continue;
    if (!(await fullEvaluation())) return;
  }
}
