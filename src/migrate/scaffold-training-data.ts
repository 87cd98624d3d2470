import type { SignatureField } from "../config/index.js";
import type { InferredSignature } from "./infer-signature.js";

/** Extensions of a single training-data file (contract: `.jsonl`, `.json`, `.yaml`, `.yml`). */
const dataFile = /\.(jsonl|json|ya?ml)$/i;
/** Step names that are safe as one file name in every OS (no separators, no `..`, no leading dot). */
const safeFileName = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Where a step's training data is expected: `<training_data_path>/<step>.yaml`, or the path itself when it names
 * one data file. `undefined` when the step name cannot be a file name.
 */
export function trainingDataPathOf(trainingDataPath: string, step: string): string | undefined {
  if (dataFile.test(trainingDataPath)) return trainingDataPath;
  if (!safeFileName.test(step) || step.includes("..")) return undefined;
  return `${trainingDataPath.replace(/[\\/]+$/, "") || "."}/${step}.yaml`;
}

/** True when the training-data path names one file shared by all steps (nothing to scaffold per step). */
export function isSingleDataFile(trainingDataPath: string): boolean {
  return dataFile.test(trainingDataPath);
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

function describe(fields: SignatureField[]): string[] {
  return fields.map(
    (f) =>
      `#   ${f.name} (${f.type ?? "string"}${f.options ? `: ${f.options.join(" | ")}` : ""}): ${oneLine(f.description ?? "")}`,
  );
}

function exampleValues(fields: SignatureField[]): string[] {
  return fields.map(
    (f) =>
      `#     ${f.name}: ${f.type === "literal" && f.options?.[0] ? JSON.stringify(f.options[0]) : '"..."'}`,
  );
}

/**
 * A commented YAML template for a step's training data, listing the signature's fields. Its only data is `[]`
 * (no examples), so a run keeps falling back to traditional until the user adds records.
 */
export function scaffoldTrainingData(
  workflow: string,
  step: string,
  signature: InferredSignature,
): string {
  const inputs = signature.input_fields;
  return [
    `# Training data for step \`${oneLine(step)}\` of workflow \`${oneLine(workflow)}\` (hybrid-pipeline).`,
    "# One list item per example: {input, output}. Until examples exist, optimized runs fall back to traditional.",
    "# Inputs:",
    ...(inputs ? describe(inputs) : ["#   (the rendered prompt, as one string)"]),
    "# Outputs:",
    ...describe(signature.output_fields),
    "#",
    "# Example record (remove the `#` and the `[]` below):",
    ...(inputs ? ["# - input:", ...exampleValues(inputs)] : ['# - input: "..."']),
    "#   output:",
    ...exampleValues(signature.output_fields),
    "[]",
    "",
  ].join("\n");
}
