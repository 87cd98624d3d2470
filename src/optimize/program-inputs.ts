import { canonicalJson, contentHash } from "../cache/index.js";
import type { MetricSpec, Workflow } from "../config/index.js";
import { defaultOptimizerParams, type OptimizerName, type OptimizerParams } from "./optimizer.js";
import { resolveSignature, signatureString, type SignatureStep } from "./signature.js";
import { loadTrainingData } from "./training-data.js";

/**
 * What made a program, hashed part by part so a stale program can say which part changed. The
 * model is left out on purpose: a program compiled for one model still runs with another (the
 * report says so), while a new signature, new data or another optimizer makes it stale.
 */
export interface ProgramInputs {
  /** sha256 over the three parts below. */
  hash: string;
  parts: {
    /** The signature: field names, types, descriptions and instructions. */
    signature: string;
    /** The step's training-data file (its bytes), or `none` when the step has none. */
    training_data: string;
    /** The optimizer, its options and the metric. */
    optimizer: string;
  };
}

/** The part names as a report names them. */
export type ProgramInputPart = keyof ProgramInputs["parts"];

/** A step as the input hash reads it. */
export interface ProgramInputStep extends SignatureStep {
  metric?: MetricSpec;
}

const sha = (value: unknown): string => contentHash(canonicalJson(value));

/**
 * The input hash of a step's program as the workflow describes it today: resolved signature,
 * training data (`dspy_config.training_data_path`), `evaluation_mode` and `optimizer_options`
 * with their defaults, and the metric. Undefined when the step has no signature.
 */
export async function programInputs(
  step: ProgramInputStep,
  workflow: Pick<Workflow, "dspy_config">,
  workdir: string,
  override: { optimizer?: OptimizerName; params?: Partial<OptimizerParams> } = {},
): Promise<ProgramInputs | undefined> {
  const signature = resolveSignature(step, workflow);
  if (!signature) return undefined;
  const dspy = workflow.dspy_config ?? {};
  const data = await loadTrainingData({
    workdir,
    path: dspy.training_data_path ?? "training_data",
    step: step.name,
    signature,
  });
  const params: OptimizerParams = {
    ...defaultOptimizerParams,
    ...dspy.optimizer_options,
    ...override.params,
  };
  const parts = {
    signature: sha({
      signature: signatureString(signature),
      instructions: signature.instructions,
      inputs: signature.inputs,
      outputs: signature.outputs,
    }),
    training_data: data.kind === "loaded" ? data.hash : "none",
    optimizer: sha({
      optimizer: override.optimizer ?? dspy.evaluation_mode ?? "bootstrap_few_shot",
      params,
      metric: step.metric ?? "token_f1",
    }),
  };
  return { hash: sha(parts), parts };
}

/** The parts that differ between two input hashes, in a fixed order. */
export function changedParts(committed: ProgramInputs, now: ProgramInputs): ProgramInputPart[] {
  return (["signature", "training_data", "optimizer"] as const).filter(
    (p) => committed.parts[p] !== now.parts[p],
  );
}

const partNames: Record<ProgramInputPart, string> = {
  signature: "signature",
  training_data: "training data",
  optimizer: "optimizer or its options",
};

/** `training data, signature changed`, as reports and `validate` say it. */
export function describeChanges(changed: readonly ProgramInputPart[]): string {
  return `${changed.map((p) => partNames[p]).join(", ")} changed`;
}
