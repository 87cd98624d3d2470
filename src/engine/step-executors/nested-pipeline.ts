import { existsSync } from "node:fs";
import path from "node:path";
import { formatProblem, loadWorkflowFile, type Workflow } from "../../config/index.js";
import { StepFailure, type ExecContext, type StepExecutor, type StepOf } from "../exec-context.js";
import { createExecState, getPath } from "../step-results.js";
import { isRecord } from "../../report/index.js";
import { scoped } from "./loops.js";

/** @default nesting depth of `pipeline` steps (pipeline_ex's `Pipeline.Safety.RecursionGuard` default). */
const DEFAULT_MAX_DEPTH = 10;

const record = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

/** `pipeline_file` relative to the working directory, else to the parent pipeline's folder. */
function locate(file: string, ctx: ExecContext): string {
  if (path.isAbsolute(file)) return file;
  const fromWorkdir = path.resolve(ctx.workdir, file);
  const fromParent = path.resolve(path.dirname(ctx.file), file);
  return existsSync(fromWorkdir) || !existsSync(fromParent) ? fromWorkdir : fromParent;
}

async function loadChild(
  step: StepOf<"pipeline">,
  ctx: ExecContext,
): Promise<{ workflow: Workflow; file: string }> {
  if (step.pipeline_file !== undefined) {
    const file = locate(step.pipeline_file, ctx);
    const loaded = await loadWorkflowFile(file, { workdir: ctx.workdir });
    if (!loaded.ok)
      throw new StepFailure(
        `step '${step.name}': nested pipeline is invalid:\n${loaded.problems.map(formatProblem).join("\n")}`,
        "invalid_nested_pipeline",
      );
    return { workflow: loaded.workflow, file };
  }
  const inline = step.pipeline;
  if (inline) {
    // Nested steps were validated against the same step schema (`$ref`), so they are the file's steps.
    // An inline pipeline is part of its parent's file: its LLM steps use the parent's dspy_config
    // (signatures, training data) and hybrid_config.
    const steps = inline.steps as Workflow["steps"];
    const workflow: Workflow = {
      name: inline.name ?? `${step.name}_inline`,
      steps,
      ...(ctx.workflow.dspy_config ? { dspy_config: ctx.workflow.dspy_config } : {}),
      ...(ctx.workflow.hybrid_config ? { hybrid_config: ctx.workflow.hybrid_config } : {}),
    };
    return { workflow, file: `${ctx.file}#${step.name}` };
  }
  if (step.pipeline_ref !== undefined)
    throw new StepFailure(
      `step '${step.name}': pipeline_ref (a pipeline registry) is not supported by hybrid-pipeline yet; use pipeline_file`,
      "unsupported",
    );
  throw new StepFailure(
    `step '${step.name}': a pipeline step needs pipeline_file or an inline pipeline`,
    "bad_nested_pipeline",
  );
}

/** Picks `outputs` (`"step"`, `"step.field"`, or `{path, as}`) from the child's results; all results when none are listed. */
function collectOutputs(
  step: StepOf<"pipeline">,
  results: Map<string, unknown>,
): Record<string, unknown> {
  if (!step.outputs) return Object.fromEntries(results);
  const out: Record<string, unknown> = {};
  for (const spec of step.outputs) {
    const { path: ref, as } =
      typeof spec === "string" ? { path: spec, as: spec.split(".").at(-1) ?? spec } : spec;
    const [name = "", ...field] = ref.split(".");
    const value = getPath(results.get(name), field);
    if (value === undefined)
      throw new StepFailure(
        `step '${step.name}': output '${ref}' not found in the nested pipeline's results`,
        "missing_output",
      );
    out[as] = value;
  }
  return out;
}

/**
 * `pipeline`: runs a nested pipeline (`pipeline_file`, or an inline `pipeline: {steps}`) with its own
 * results and variables; `inputs` (interpolated in the parent) become `{{inputs.x}}`, and
 * `config.inherit_context: true` passes the parent's global_vars and variables as `global_vars`.
 * Guarded against recursion: a file already being run, or depth beyond `config.max_depth`
 * (default 10), fails the step with the chain.
 */
export const runNestedPipeline: StepExecutor<"pipeline"> = async (step, ctx) => {
  const config = record(step.config);
  const maxDepth = typeof config.max_depth === "number" ? config.max_depth : DEFAULT_MAX_DEPTH;
  const child = await loadChild(step, ctx);
  const chain = [...ctx.stack, ctx.file];
  if (chain.includes(child.file)) {
    throw new StepFailure(
      `step '${step.name}': circular pipeline reference: ${[...chain, child.file].map((f) => path.basename(f)).join(" → ")}`,
      "recursion",
    );
  }
  if (chain.length > maxDepth)
    throw new StepFailure(
      `step '${step.name}': nesting depth ${chain.length} exceeds max_depth ${maxDepth}`,
      "recursion",
    );
  const inherited =
    config.inherit_context === true
      ? { ...ctx.state.globalVars, ...ctx.state.variables.global }
      : {};
  const state = createExecState({
    globalVars: { ...inherited, ...record(child.workflow.global_vars) },
    inputs: record(step.inputs),
  });
  const childCtx = ctx.withState(state, {
    workflow: child.workflow,
    file: child.file,
    stack: chain,
  });
  await ctx.runSteps(child.workflow.steps, state, scoped(childCtx, ctx, step));
  return { result: { success: true, ...collectOutputs(step, state.results) } };
};
