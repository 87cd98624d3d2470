import {
  inputReferences,
  type ExecutionMode,
  type LoadResult,
  type Workflow,
} from "../config/index.js";
import { resolveExecutionMode } from "../engine/index.js";
import {
  formatDataProblem,
  loadTrainingData,
  resolveSignature,
  type TrainingDataProblem,
} from "../optimize/index.js";

/**
 * Every problem in the training data of the steps with a signature (`dspy_config.training_data_path`,
 * relative to `workdir`), each at its file:line:col. Missing data is no problem here: such a step falls
 * back (`dspy_unavailable`) and the report says so.
 */
export async function trainingDataProblems(
  workflow: Workflow,
  workdir: string,
): Promise<TrainingDataProblem[]> {
  const problems: TrainingDataProblem[] = [];
  for (const step of workflow.steps) {
    const signature = resolveSignature(step, workflow);
    if (!signature) continue;
    const data = await loadTrainingData({
      workdir,
      path: workflow.dspy_config?.training_data_path ?? "training_data",
      step: step.name,
      signature,
    });
    if (data.kind === "invalid") problems.push(...data.problems);
  }
  return problems;
}

/** `{{inputs.NAME}}` of the top-level workflow that `given` (the `--input` keys) has no value for. */
export function missingInputs(workflow: Workflow, given: readonly string[]): string[] {
  const names = inputReferences(workflow.steps, []).map((r) => r.name);
  return [...new Set(names)].filter((n) => !given.includes(n));
}

/** `result`, invalid when the training data of a step has problems (they join its problems). */
export async function withTrainingData(result: LoadResult, workdir: string): Promise<LoadResult> {
  if (!result.ok) return result;
  const problems = await trainingDataProblems(result.workflow, workdir);
  if (problems.length === 0) return result;
  return { ok: false, problems, warnings: result.warnings, file: result.file };
}

/**
 * The lines that stop `run` before it starts: `{{inputs.x}}` without a `--input x=…`, and, unless the
 * run is traditional (which reads no training data), every training-data problem at its
 * file:line:col. Broken training data is invalid input, not a quiet fallback: the user asked for
 * optimized or compared steps and would get neither.
 */
export async function runInputProblems(
  file: string,
  workflow: Workflow,
  options: { mode: ExecutionMode | undefined; workdir: string; given: readonly string[] },
): Promise<string[]> {
  const inputs = missingInputs(workflow, options.given).map(
    (name) => `${file}: error: {{inputs.${name}}} has no value (give --input ${name}=VALUE)`,
  );
  if (resolveExecutionMode(workflow, options.mode).mode === "traditional") return inputs;
  const data = await trainingDataProblems(workflow, options.workdir);
  const summary =
    data.length === 0
      ? []
      : [
          `${file}: error: ${data.length} problem(s) in the training data (fix them, or run with --mode traditional, which reads none)`,
        ];
  return [...inputs, ...data.map(formatDataProblem), ...summary];
}
