import type { Workflow } from "../config/index.js";
import type { ExecutionMode } from "../report/index.js";
import {
  emptyProjection,
  mergeProjection,
  projectCompileStep,
  resolveSignature,
  type CallProjection,
  type CompileProjection,
} from "../optimize/index.js";
import { resolveExecutionMode } from "./hybrid/resolve-mode.js";
import { stepModel } from "./step-model.js";

/** A run's projected compile and evaluation work per step, and the total. */
export interface RunProjection {
  mode: ExecutionMode;
  /** false: compiles are listed but not counted (`--no-compile`: programs come from the cache only). */
  compile: boolean;
  steps: Array<{ compile: CompileProjection; evaluation: CallProjection | null }>;
  /** Compile and evaluation calls of every step; the steps' own calls are not projected. */
  total: CallProjection;
}

/**
 * What a run would spend on compiling and evaluating before it spends it, with an empty cache: in
 * `traditional` mode nothing; otherwise each signature step's compile ({@link projectCompileStep}),
 * plus in `evaluation` mode the paired evaluation of both arms on dev. With `compile: false` the
 * compiles are listed but not counted (programs come from the cache). Sends nothing.
 */
export async function projectRun(options: {
  workflow: Workflow;
  workdir: string;
  mode?: ExecutionMode;
  /** false (`--no-compile`): programs come only from the cache, so no compile is projected. @default true */
  compile?: boolean;
}): Promise<RunProjection> {
  const { workflow } = options;
  const { mode } = resolveExecutionMode(workflow, options.mode);
  const total = emptyProjection();
  const steps: RunProjection["steps"] = [];
  const compileNow = options.compile ?? true;
  if (mode === "traditional") return { mode, compile: compileNow, steps, total };
  for (const step of workflow.steps) {
    if (!resolveSignature(step, workflow)) continue;
    const s = step as Record<string, unknown>;
    const compile = await projectCompileStep({
      step: {
        name: step.name,
        ...(s.signature ? { signature: s.signature as never } : {}),
        ...(s.metric ? { metric: s.metric as never } : {}),
        ...(s.prompt !== undefined ? { prompt: s.prompt } : {}),
      },
      workflow,
      workdir: options.workdir,
      model: stepModel(step, workflow),
    });
    const evaluation =
      mode === "evaluation" && compile.kind === "projected" ? compile.evaluation : null;
    if (compile.kind === "projected" && compileNow) mergeProjection(total, compile.total);
    if (evaluation) mergeProjection(total, evaluation);
    steps.push({ compile, evaluation });
  }
  return { mode, compile: compileNow, steps, total };
}
