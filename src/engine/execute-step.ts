import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { isLlmStepType, type StepType } from "../config/index.js";
import { redact } from "../report/index.js";
import { evaluateCondition } from "./condition.js";
import {
  StepFailure,
  type ExecContext,
  type RawStep,
  type StepExecutor,
  type StepResultValue,
} from "./exec-context.js";
import { qualify } from "./nested-steps.js";
import { formatResult } from "./prompt-builder.js";
import { stepExecutors } from "./step-executors/index.js";
import type { ExecState } from "./step-results.js";
import { interpolateData } from "./template.js";
import { createUsageMeter, withUsageMeter } from "./usage-meter.js";

/**
 * Fields not interpolated here: nested steps (per iteration) and conditions (evaluated, not rendered)
 * later in their own scope; `name` and `type`, which the step keeps as written.
 */
const DEFERRED = new Set(["steps", "pipeline", "condition", "signature", "name", "type"]);

/** Step types whose tasks are recorded one by one (`<step>/<task id>`) by their executor. */
const recordsItsTasks = new Set(["parallel_claude", "claude_batch"]);

const written = new WeakMap<RawStep, RawStep>();

/** The step as the pipeline file writes it (templates not yet rendered): what optimization keys and scores. */
export function stepAsWritten(step: RawStep): RawStep {
  return written.get(step) ?? step;
}

/** What happened to one step. */
export type StepRun =
  { kind: "skipped"; reason: string } | { kind: "done"; value: StepResultValue };

function toFailure(step: RawStep, error: unknown): StepFailure {
  if (error instanceof StepFailure) return error;
  const e = error as { message?: unknown; code?: unknown };
  const code = typeof e.code === "string" ? e.code.toLowerCase() : "step_failed";
  return new StepFailure(
    redact(`step '${step.name}': ${typeof e.message === "string" ? e.message : String(error)}`),
    code,
    { cause: error },
  );
}

async function saveOutput(target: string, result: unknown, ctx: ExecContext): Promise<void> {
  const file = path.resolve(ctx.outputDir, target);
  const text = target.endsWith(".json") ? JSON.stringify(result, null, 2) : formatResult(result);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

/**
 * Runs one step as pipeline_ex's executor does: interpolates its configuration, checks `condition`
 * (a skipped step's result is `{success, skipped, reason}`), dispatches on `type`, stores the result
 * under the step's name and writes `output_to_file` (in the output directory). Any failure comes out
 * as a {@link StepFailure} with a redacted message.
 */
export async function executeStep(raw: RawStep, ctx: ExecContext): Promise<StepRun> {
  try {
    const interpolated = interpolateData(raw, ctx.templates, DEFERRED) as RawStep;
    // Most steps hold no placeholder and come back as they are: no need to copy them.
    const step = interpolated === raw ? raw : { ...interpolated, name: raw.name, type: raw.type };
    if (step !== raw) written.set(step, raw);
    if (
      raw.type !== "while_loop" &&
      !evaluateCondition(raw.condition, ctx.templates.resolve, ctx.run.now)
    ) {
      const reason = `Condition not met: ${typeof raw.condition === "string" ? raw.condition : JSON.stringify(raw.condition)}`;
      ctx.state.results.set(raw.name, { success: true, skipped: true, reason });
      return { kind: "skipped", reason };
    }
    // The validator admitted the file, so `type` names an executor and the fields are that type's.
    const executor = stepExecutors[raw.type as StepType] as StepExecutor;
    const value = await executor(step, ctx);
    ctx.state.results.set(raw.name, value.result);
    const target = step.output_to_file;
    if (typeof target === "string" && target !== "") await saveOutput(target, value.result, ctx);
    return { kind: "done", value };
  } catch (error) {
    throw toFailure(raw, error);
  }
}

/**
 * Runs nested steps (loop bodies, nested pipelines) in order; the first failure propagates. Each LLM
 * step's execution is recorded under its qualified name (`ctx.scope/name`) with its own usage, metered
 * on its own so parallel iterations do not mix (parallel_claude records each task itself).
 */
export async function runNestedSteps(
  steps: readonly RawStep[],
  _state: ExecState,
  ctx: ExecContext,
): Promise<void> {
  for (const step of steps) {
    const nested = ctx.nested;
    if (!nested || !isLlmStepType(step.type) || recordsItsTasks.has(step.type)) {
      await executeStep(step, ctx);
      continue;
    }
    const meter = createUsageMeter();
    const metered: ExecContext = { ...ctx, lm: withUsageMeter(ctx.lm, () => meter) };
    const name = qualify(ctx.scope, step.name);
    try {
      const run = await executeStep(step, metered);
      if (run.kind === "done")
        nested.record({
          name,
          type: step.type,
          status: "success",
          meter,
          ...(run.value.llm ? { llm: run.value.llm } : {}),
        });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      nested.record({ name, type: step.type, status: "failed", meter, error: message });
      throw error;
    }
  }
}
