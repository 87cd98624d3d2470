import type { Example, Program } from "../example.js";
import { scoreProgram, untilBudget, type CompileContext, type Optimizer } from "../optimizer.js";
import { seededRandom } from "../../stats/index.js";
import { seededShuffle } from "../split.js";
import { bootstrapFewShot } from "./bootstrap-few-shot.js";
import { labeledFewShot } from "./labeled-few-shot.js";

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

async function buildCandidate(
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
      const random = seededRandom(ctx.params.seed * 7919 + candidate.seed);
      const size = 1 + Math.floor(random() * Math.max(1, ctx.params.max_bootstrapped_demos));
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
 */
export const bootstrapFewShotRandomSearch: Optimizer = {
  name: "bootstrap_few_shot_random_search",
  async compile(program: Program, trainset: Example[], ctx: CompileContext): Promise<Program> {
    const valset = ctx.valset ?? trainset;
    let best: { program: Program; score: number } | undefined;
    for (const candidate of candidateSchedule(ctx.params.num_candidate_programs)) {
      const outcome = await untilBudget(async () => {
        const built = await buildCandidate(candidate, program, trainset, ctx);
        return { program: built, score: (await scoreProgram(built, valset, ctx)).mean };
      });
      if (outcome === undefined) break;
      if (best === undefined || outcome.score > best.score) best = outcome;
    }
    return best?.program ?? labeledFewShot.compile(program, trainset, ctx);
  },
};
