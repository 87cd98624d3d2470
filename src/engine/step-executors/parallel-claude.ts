import { writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import pLimit from "p-limit";
import { evaluateCondition } from "../condition.js";
import type { ExecContext, RawStep, StepExecutor, StepOf } from "../exec-context.js";
import { qualify } from "../nested-steps.js";
import { formatResult } from "../prompt-builder.js";
import { createUsageMeter, withUsageMeter } from "../usage-meter.js";

type TaskStep = StepOf<"parallel_claude"> | StepOf<"claude_batch">;
type ClaudeTask = StepOf<"parallel_claude">["parallel_tasks"][number];
/** A task; `claude_batch` without `tasks` runs its own (optional) `prompt` in one. */
type Task = Omit<ClaudeTask, "prompt"> & { prompt: ClaudeTask["prompt"] | undefined };

/** The step's own settings without its task list (a task is not a container of tasks). */
function withoutTasks(step: TaskStep): RawStep {
  const copy: RawStep = { ...step };
  delete copy.parallel_tasks;
  delete copy.tasks;
  return copy;
}

/**
 * One task, routed like any LLM step (through `ctx.llmStep`: traditional, optimized or A/B in hybrid
 * mode) as a `claude` step with the parent's name, so the parent's signature, training data and
 * program serve every task; recorded for the report as `<step>/<task id>`.
 */
async function runTask(
  step: TaskStep,
  task: Task,
  id: string,
  ctx: ExecContext,
): Promise<Record<string, unknown>> {
  const taskStep: StepOf<"claude"> = {
    ...withoutTasks(step),
    name: step.name,
    type: "claude",
    // claude_batch without tasks or prompt: an empty prompt (what an absent one built).
    prompt: task.prompt ?? [],
    // parallel_claude's schema has no `claude_options`: one written there anyway is still honoured.
    claude_options: {
      ...("claude_options" in step ? step.claude_options : {}),
      ...task.claude_options,
    },
  };
  if (
    task.condition !== undefined &&
    !evaluateCondition(task.condition, ctx.templates.resolve, ctx.run.now)
  ) {
    return { success: true, skipped: true, reason: "Condition not met" };
  }
  const meter = createUsageMeter();
  const metered: ExecContext = ctx.nested
    ? { ...ctx, lm: withUsageMeter(ctx.lm, () => meter) }
    : ctx;
  const name = taskName(step, id, ctx);
  let outcome;
  try {
    outcome = await ctx.llmStep(taskStep, metered);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.nested?.record({ name, type: "claude", status: "failed", meter, error: message });
    throw error;
  }
  ctx.nested?.record({ name, type: "claude", status: "success", meter, llm: outcome });
  // A rendered template may name no file (a non-string).
  if (typeof task.output_to_file === "string") {
    const file = path.resolve(ctx.outputDir, task.output_to_file);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, formatResult(outcome.result));
  }
  return outcome.result;
}

const taskName = (step: TaskStep, id: string, ctx: ExecContext) =>
  qualify(ctx.scope, `${step.name}/${id}`);

async function runAll(
  step: TaskStep,
  tasks: Task[],
  idKey: (t: Task, i: number) => string,
  limit: number,
  ctx: ExecContext,
): Promise<Array<[string, Record<string, unknown>]>> {
  const gate = pLimit(Math.max(1, limit));
  tasks.forEach((task, i) => ctx.nested?.reserve(taskName(step, idKey(task, i), ctx)));
  return Promise.all(
    tasks.map((task, i) =>
      gate(async (): Promise<[string, Record<string, unknown>]> => [
        idKey(task, i),
        await runTask(step, task, idKey(task, i), ctx),
      ]),
    ),
  );
}

/**
 * `parallel_claude`: runs `parallel_tasks` concurrently (at most `--concurrency` at once); the result
 * is keyed by task id, as pipeline_ex's, so `previous_response` can `extract: <task id>`.
 * The first failing task fails the step.
 */
export const runParallelClaude: StepExecutor<"parallel_claude"> = async (step, ctx) => {
  const entries = await runAll(
    step,
    step.parallel_tasks,
    (t, i) => String(t.id ?? t.task_id ?? `task_${i + 1}`),
    ctx.concurrency,
    ctx,
  );
  return { result: Object.fromEntries(entries) };
};

/**
 * `claude_batch`: runs `tasks` (or the step's own `prompt` as one task) with at most
 * `batch_config.max_parallel` (else `--concurrency`) at once. The result lists each task's result
 * and, under `batch_config.consolidate_results`, the joined texts as `text`.
 */
export const runClaudeBatch: StepExecutor<"claude_batch"> = async (step, ctx) => {
  const config = step.batch_config ?? {};
  const tasks: Task[] =
    step.tasks && step.tasks.length > 0 ? step.tasks : [{ task_id: "task_1", prompt: step.prompt }];
  const limit =
    typeof config.max_parallel === "number"
      ? Math.min(config.max_parallel, ctx.concurrency)
      : ctx.concurrency;
  const entries = await runAll(
    step,
    tasks,
    (t, i) => String(t.task_id ?? t.id ?? `task_${i + 1}`),
    limit,
    ctx,
  );
  const results: Array<Record<string, unknown>> = entries.map(([task_id, r]) => ({
    task_id,
    ...r,
  }));
  const result: Record<string, unknown> = { success: true, task_count: results.length, results };
  if (config.consolidate_results !== false)
    result.text = results
      .map((r) => `## ${String(r.task_id)}\n${String(r.text ?? "")}`)
      .join("\n\n");
  return { result };
};
