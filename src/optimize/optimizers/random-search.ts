import type { Example, Program } from "../example.js";
import {
  scoreProgram,
  untilBudget,
  type CompileContext,
  type Optimizer,
  type OptimizerParams,
} from "../optimizer.js";
import { seededRandom } from "../../stats/index.js";
import { seededShuffle } from "../split.js";
import { bootstrapFewShot } from "./bootstrap-few-shot.js";
import { labeledFewShot } from "./labeled-few-shot.js";
import { markUnderBudget } from "./search-log.js";

/** One candidate of DSPy's schedule: its seed and how it is built. */
export interface Candidate {
  seed: number;
  build: "zero_shot" | "labeled_only" | "bootstrap_unshuffled" | "bootstrap_shuffled";
}

/**
 * DSPy's candidate schedule (dspy/teleprompt/random_search.py: `for seed in range(-3, num_candidate_sets)`):
 * -3 zero-shot, -2 labelled demos only, -1 BootstrapFewShot on the unshuffled trainset, then one
 * BootstrapFewShot per seed on a seeded shuffle with a seeded number of demos in 1..max_bootstrapped_demos.
 */
export function candidateSchedule(numCandidates: number): Candidate[] {
  const out: Candidate[] = [
    { seed: -3, build: "zero_shot" },
    { seed: -2, build: "labeled_only" },
    { seed: -1, build: "bootstrap_unshuffled" },
  ];
  for (let seed = 0; seed < numCandidates; seed++) out.push({ seed, build: "bootstrap_shuffled" });
  return out;
}

/** Bootstrapped demos of a shuffled candidate: seeded, 1..max_bootstrapped_demos (DSPy's `rng.randint`). */
export function shuffledDemoCount(params: OptimizerParams, seed: number): number {
  const random = seededRandom(params.seed * 7919 + seed);
  return 1 + Math.floor(random() * Math.max(1, params.max_bootstrapped_demos));
}

/** Builds one candidate of the schedule from the program without demos (the seeds' own demo sets). */
export async function buildCandidate(
  candidate: Candidate,
  program: Program,
  trainset: Example[],
  ctx: CompileContext,
): Promise<Program> {
  const base: Program = { ...program, demos: [] };
  switch (candidate.build) {
    case "zero_shot":
      return base;
    case "labeled_only":
      return labeledFewShot.compile(base, trainset, ctx);
    case "bootstrap_unshuffled":
      return bootstrapFewShot.compile(base, trainset, ctx);
    case "bootstrap_shuffled": {
      const size = shuffledDemoCount(ctx.params, candidate.seed);
      const params = {
        ...ctx.params,
        max_bootstrapped_demos: size,
        seed: ctx.params.seed + candidate.seed + 1,
      };
      return bootstrapFewShot.compile(base, seededShuffle(trainset, params.seed), {
        ...ctx,
        params,
      });
    }
  }
}

/**
 * DSPy's BootstrapFewShotWithRandomSearch: builds the candidates of {@link candidateSchedule}, scores
 * each on the valset, keeps the best (the earliest on ties). When the call budget runs out the best
 * fully scored candidate so far wins; with none scored, the labelled-only program (no calls needed).
 * Either way `ctx.log` marks the result `under_budget`: not every seed was tried.
 */
export const bootstrapFewShotRandomSearch: Optimizer = {
  name: "bootstrap_few_shot_random_search",
  async compile(program: Program, trainset: Example[], ctx: CompileContext): Promise<Program> {
    const valset = ctx.valset ?? trainset;
    const schedule = candidateSchedule(ctx.params.num_candidate_programs);
    if (ctx.log)
      ctx.log.minimum_calls = randomSearchMinimumCalls(
        schedule,
        trainset.length,
        valset.length,
        ctx.params.max_bootstrapped_demos,
      );
    let best: { program: Program; score: number; index: number } | undefined;
    let scored = 0;
    for (const [index, candidate] of schedule.entries()) {
      const outcome = await untilBudget(async () => {
        const built = await buildCandidate(candidate, program, trainset, ctx);
        return { program: built, score: (await scoreProgram(built, valset, ctx)).mean, index };
      });
      if (outcome === undefined) break;
      scored++;
      ctx.log?.trials.push({
        trial: index,
        kind: "full",
        demo_set: index,
        score: outcome.score,
        n: valset.length,
      });
      if (best === undefined || outcome.score > best.score) best = outcome;
    }
    if (ctx.log) {
      ctx.log.best_score = best?.score ?? null;
      ctx.log.best = best ? { demo_set: best.index } : null;
      if (scored < schedule.length)
        markUnderBudget(
          ctx.log,
          `the call budget ran out after ${scored} of the ${schedule.length} seed candidates; random search needs every seed scored once`,
        );
    }
    return best?.program ?? labeledFewShot.compile(program, trainset, ctx);
  },
};

/** Fewest calls to score every seed once, assuming every teacher trace passes (a lower bound). */
export function randomSearchMinimumCalls(
  schedule: Candidate[],
  trainSize: number,
  valSize: number,
  maxBootstrapped: number,
): number {
  const bootstraps = schedule.filter((c) => c.build.startsWith("bootstrap")).length;
  return bootstraps * Math.min(trainSize, Math.max(1, maxBootstrapped)) + schedule.length * valSize;
}
