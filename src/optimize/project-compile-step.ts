import { estimateTokens } from "../providers/index.js";
import {
  addCalls,
  addProgramCalls,
  mergeProjection,
  emptyProjection,
  type CallProjection,
} from "./call-projection.js";
import { assistantMessage } from "./chat-adapter.js";
import type { CompileStepOptions } from "./compile-step.js";
import type { Program } from "./example.js";
import { defaultOptimizerParams, type OptimizerName, type OptimizerParams } from "./optimizer.js";
import { labeledDemos } from "./optimizers/labeled-few-shot.js";
import { projectOptimizer } from "./optimizers/project-optimizer.js";
import { resolveSignature } from "./signature.js";
import { planEvidence, splitSettings } from "./split.js";
import { loadTrainingData } from "./training-data.js";
import { traditionalRequest } from "./traditional-arm.js";

/** A step's projected compile, or why it would not compile. */
export type CompileProjection =
  | {
      kind: "projected";
      step: string;
      optimizer: OptimizerName;
      model: string;
      n_train: number;
      n_dev: number;
      /** The optimizer's own calls. */
      optimizer_calls: CallProjection;
      /** The optimizer's calls plus the scoring compile does around it (baseline, result, traditional prompt on dev). */
      total: CallProjection;
      /** Evaluation mode's paired evaluation after compiling: both arms on every dev example (`ab`). */
      evaluation: CallProjection;
    }
  | { kind: "not_compiled"; step: string; detail: string };

/**
 * What `compileStep` would send for a step with an empty cache, without sending anything: the same
 * data, split and settings, the optimizer's projection, and the scoring around it (the zero-shot
 * baseline, the result and the step's own prompt, each on dev). The result's demos are stood in for by
 * labelled examples. An invalid or missing training set is `not_compiled` with the reason.
 */
export async function projectCompileStep(
  options: Pick<
    CompileStepOptions,
    "step" | "workflow" | "workdir" | "model" | "optimizer" | "params"
  >,
): Promise<CompileProjection> {
  const name = options.step.name;
  const dspy = options.workflow.dspy_config ?? {};
  const signature = resolveSignature(options.step, options.workflow);
  if (!signature) return { kind: "not_compiled", step: name, detail: "no signature" };
  const data = await loadTrainingData({
    workdir: options.workdir,
    path: dspy.training_data_path ?? "training_data",
    step: name,
    signature,
  });
  if (data.kind !== "loaded" || data.examples.length < 2)
    return {
      kind: "not_compiled",
      step: name,
      detail:
        data.kind === "loaded" ? "fewer than 2 training examples" : `training data ${data.kind}`,
    };
  const optimizer = options.optimizer ?? dspy.evaluation_mode ?? "bootstrap_few_shot";
  const params: OptimizerParams = {
    ...defaultOptimizerParams,
    ...dspy.optimizer_options,
    ...options.params,
  };
  // The same plan compiling follows: the program that ships, one more compile per cross-fitting fold,
  // and both arms over every held-out example (compile-step.ts, heldout-evaluation.ts).
  const settings = splitSettings(dspy);
  const plan = planEvidence(data.examples, settings);
  const compiles = [
    plan.ship,
    ...(plan.kind === "cross_fit" ? plan.folds.map((f) => f.train) : []),
  ];
  const heldout =
    plan.kind === "test"
      ? plan.test
      : plan.kind === "cross_fit"
        ? plan.folds.flatMap((f) => f.heldout)
        : [];
  const start: Program = { instructions: signature.instructions, signature, demos: [] };
  const optimizerCalls = emptyProjection();
  for (const { trainset, valset } of compiles)
    mergeProjection(
      optimizerCalls,
      projectOptimizer(optimizer, {
        program: start,
        trainset,
        valset: valset.length > 0 ? valset : trainset,
        params,
        model: options.model,
        step: name,
      }),
    );
  const total = mergeProjection(emptyProjection(), optimizerCalls);
  const demos =
    optimizer === "copro"
      ? []
      : labeledDemos(
          plan.ship.trainset,
          Math.max(params.max_labeled_demos, params.max_bootstrapped_demos),
          params.seed,
        );
  const repeats = settings.repeats;
  addProgramCalls(
    total,
    "ab",
    { ...start, demos },
    heldout,
    heldout.length * repeats,
    options.model,
  );
  const { prompt } = options.step;
  for (const example of heldout) {
    if (prompt === undefined) {
      addProgramCalls(total, "ab", start, [example], repeats, options.model);
      continue;
    }
    const request = traditionalRequest({ ...options.step, prompt }, signature, example.inputs, {
      model: options.model,
    });
    addCalls(
      total,
      "ab",
      request,
      repeats,
      estimateTokens(assistantMessage(signature, example.outputs)),
    );
  }
  // Evaluation mode reads the held-out evidence stored with the program: it sends nothing more.
  const evaluation = emptyProjection();
  return {
    kind: "projected",
    step: name,
    optimizer,
    model: options.model,
    n_train: plan.ship.trainset.length,
    n_dev: plan.ship.valset.length,
    optimizer_calls: optimizerCalls,
    total,
    evaluation,
  };
}
