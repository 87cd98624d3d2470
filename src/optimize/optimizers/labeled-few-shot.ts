import type { Example, Program } from "../example.js";
import type { CompileContext, Optimizer } from "../optimizer.js";
import { seededShuffle } from "../split.js";

/** k labelled demos sampled with the seed (DSPy `LabeledFewShot(k)` with `sample=True`); no LM calls. */
export function labeledDemos(trainset: Example[], k: number, seed: number): Program["demos"] {
  return seededShuffle(trainset, seed)
    .slice(0, Math.min(k, trainset.length))
    .map((e) => ({ inputs: e.inputs, outputs: e.outputs, augmented: false }));
}

/**
 * DSPy's LabeledFewShot (dspy/teleprompt/vanilla.py): the program's demos become up to
 * `max_labeled_demos` examples of the trainset, sampled with the seed. Makes no LM calls.
 */
export const labeledFewShot: Optimizer = {
  name: "labeled_few_shot",
  compile(program: Program, trainset: Example[], ctx: CompileContext): Promise<Program> {
    return Promise.resolve({
      ...program,
      demos: labeledDemos(trainset, ctx.params.max_labeled_demos, ctx.params.seed),
    });
  },
};
