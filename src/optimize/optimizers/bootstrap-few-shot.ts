import type { Demo, Example, Program } from "../example.js";
import { untilBudget, type CompileContext, type Optimizer } from "../optimizer.js";
import { predict } from "../predict.js";
import { seededShuffle } from "../split.js";
import { labeledDemos } from "./labeled-few-shot.js";

/**
 * DSPy's BootstrapFewShot (dspy/teleprompt/bootstrap.py): a teacher (the program with up to
 * `max_labeled_demos` labelled demos, minus the example at hand) runs over the trainset in order;
 * a trace whose prediction passes the metric (or `metric_threshold`) becomes an `augmented` demo.
 * Each example gets up to `max_rounds` attempts (later rounds at temperature 0.7 + 0.001·round and
 * with a rollout id, as DSPy does: the id makes each round a fresh sample that no cache answers, the
 * only source of diversity on Anthropic, whose Messages API takes no temperature), and the loop stops as soon as `max_bootstrapped_demos` demos are found, so it sends at
 * most max_rounds × |trainset| teacher calls. The remaining slots up to `max_labeled_demos` are
 * filled with labelled examples that were not bootstrapped, sampled with the seed.
 * A budget stop keeps the demos found so far.
 */
export const bootstrapFewShot: Optimizer = {
  name: "bootstrap_few_shot",
  async compile(program: Program, trainset: Example[], ctx: CompileContext): Promise<Program> {
    const { params } = ctx;
    const teacherDemos =
      params.max_labeled_demos > 0
        ? labeledDemos(trainset, params.max_labeled_demos, params.seed)
        : program.demos;
    const threshold = params.metric_threshold ?? ctx.metric.passThreshold;
    const augmented: Demo[] = [];
    const bootstrapped = new Set<Example>();
    await untilBudget(async () => {
      for (const example of trainset) {
        if (augmented.length >= params.max_bootstrapped_demos) break;
        for (let round = 0; round < params.max_rounds; round++) {
          const teacher: Program = {
            ...program,
            demos: teacherDemos.filter((d) => d.inputs !== example.inputs),
          };
          const prediction = await predict(teacher, example.inputs, ctx.lm, ctx.ledger, {
            model: ctx.model,
            kind: "teacher",
            temperature: round === 0 ? 0 : 0.7 + 0.001 * round,
            ...(round > 0 ? { rolloutId: `bootstrap-${round}` } : {}),
            ...(ctx.step ? { step: ctx.step } : {}),
          });
          if (prediction.kind !== "parsed") continue;
          const score = await ctx.metric.score(example.outputs, prediction.outputs, example.inputs);
          if (score >= threshold) {
            augmented.push({
              inputs: example.inputs,
              outputs: prediction.outputs,
              augmented: true,
            });
            bootstrapped.add(example);
            break;
          }
        }
      }
    });
    const rest = trainset.filter((e) => !bootstrapped.has(e));
    const labeledSlots = Math.max(
      0,
      Math.min(params.max_labeled_demos - augmented.length, rest.length),
    );
    const labeled = seededShuffle(rest, params.seed)
      .slice(0, labeledSlots)
      .map((e) => ({ inputs: e.inputs, outputs: e.outputs, augmented: false }));
    return {
      ...program,
      demos: [...augmented.slice(0, params.max_bootstrapped_demos), ...labeled],
    };
  },
};
