import type { Demo, Example, Program } from "../example.js";
import { untilBudget, type CompileContext } from "../optimizer.js";
import { buildCandidate, candidateSchedule } from "./random-search.js";

/**
 * DSPy's `create_n_fewshot_demo_sets` (dspy/teleprompt/utils.py), as MIPROv2 calls it: `n` demo sets
 * from the seeds of bootstrap random search — zero-shot, labelled only, BootstrapFewShot on the
 * unshuffled trainset, then seeded shuffles — the same schedule as {@link candidateSchedule}.
 * Zero-shot optimization (no demos allowed) still bootstraps one set of 3 for the proposer to read,
 * as DSPy does (`BOOTSTRAPPED_FEWSHOT_EXAMPLES_IN_CONTEXT`). A budget stop keeps the sets built so far.
 */
export async function demoCandidates(
  program: Program,
  trainset: Example[],
  ctx: CompileContext,
  n: number,
  zeroShot: boolean,
): Promise<Demo[][]> {
  const schedule = zeroShot
    ? [{ seed: -1, build: "bootstrap_unshuffled" as const }]
    : candidateSchedule(Math.max(0, n - 3)).slice(0, n);
  const buildCtx = zeroShot
    ? { ...ctx, params: { ...ctx.params, max_bootstrapped_demos: 3, max_labeled_demos: 0 } }
    : ctx;
  const sets: Demo[][] = [];
  for (const candidate of schedule) {
    const built = await untilBudget(() => buildCandidate(candidate, program, trainset, buildCtx));
    if (built === undefined) break;
    sets.push(built.demos);
  }
  return sets;
}
