import pLimit from "p-limit";
import { evaluateCondition } from "../condition.js";
import {
  StepFailure,
  type ExecContext,
  type RawStep,
  type StepExecutor,
  type StepOf,
} from "../exec-context.js";
import { qualify } from "../nested-steps.js";
import { childState, type ExecState } from "../step-results.js";
import { asItems, resolveDataSource } from "./data-source.js";

/** @default iterations of a `while_loop` without `max_iterations` (pipeline_ex's default). */
const DEFAULT_MAX_ITERATIONS = 100;

/** `inner` running the body of `step`: its LLM steps are reported as `<step>/<name>`. */
export function scoped(
  inner: ExecContext,
  outer: ExecContext,
  step: { name: string },
): ExecContext {
  return { ...inner, scope: qualify(outer.scope, step.name) };
}

function iterationResults(state: ExecState, steps: readonly RawStep[]): Record<string, unknown> {
  return Object.fromEntries(
    steps.filter((s) => state.results.has(s.name)).map((s) => [s.name, state.results.get(s.name)]),
  );
}

async function runIteration(
  step: StepOf<"for_loop">,
  ctx: ExecContext,
  loopVars: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const state = childState(ctx.state, loopVars);
  const steps = step.steps;
  try {
    await ctx.runSteps(steps, state, scoped(ctx.withState(state), ctx, step));
    return iterationResults(state, steps);
  } catch (error) {
    if (step.break_on_error === false && error instanceof StepFailure)
      return { ...iterationResults(state, steps), error: error.message };
    throw error;
  }
}

/**
 * `for_loop`: runs `steps` once per item of `data_source`, with `{{loop.<iterator>}}`,
 * `{{loop.index}}` (0-based) and the bare `{{<iterator>}}` in scope; `parallel: true` runs at most
 * `max_parallel` (else `--concurrency`) iterations at once. A failing iteration fails the loop unless
 * `break_on_error: false`. The result: `{iterations, results: [{<nested step>: result}, ...]}`.
 */
export const runForLoop: StepExecutor<"for_loop"> = async (step, ctx) => {
  const items = asItems(
    step,
    resolveDataSource(step, step.data_source, ctx, "data_source"),
    "data_source",
  );
  const iterator = step.iterator || "item";
  const vars = (item: unknown, index: number) => ({
    [iterator]: item,
    index,
    item,
    iteration: index + 1,
  });
  let results: Array<Record<string, unknown>>;
  if (step.parallel === true) {
    const gate = pLimit(step.max_parallel ?? ctx.concurrency);
    results = await Promise.all(
      items.map((item, i) => gate(() => runIteration(step, ctx, vars(item, i)))),
    );
  } else {
    results = [];
    for (const [i, item] of items.entries())
      results.push(await runIteration(step, ctx, vars(item, i)));
  }
  return { result: { success: true, iterations: items.length, results } };
};

/**
 * `while_loop`: runs `steps` while `condition` holds (checked before each iteration, seeing the last
 * iteration's results), at most `max_iterations` times and for at most `timeout_seconds`. Stopping on
 * a limit is not a failure; the result says why (`exit_reason`) and a warning is recorded.
 */
export const runWhileLoop: StepExecutor<"while_loop"> = async (step, ctx) => {
  const max = step.max_iterations ?? DEFAULT_MAX_ITERATIONS;
  const deadline =
    step.timeout_seconds !== undefined
      ? ctx.run.now() + step.timeout_seconds * 1000
      : Number.POSITIVE_INFINITY;
  const results: Array<Record<string, unknown>> = [];
  let state = ctx.state;
  let exitReason = "condition_false";
  for (let i = 0; ; i++) {
    const scope = ctx.withState(state).templates;
    if (!evaluateCondition(step.condition, scope.resolve, ctx.run.now)) break;
    if (i >= max || ctx.run.now() >= deadline) {
      exitReason = i >= max ? "max_iterations" : "timeout";
      ctx.warnOnce(
        `while:${step.name}`,
        `step '${step.name}': while_loop stopped after ${i} iterations (${exitReason})`,
      );
      break;
    }
    const next = childState(state, { index: i, iteration: i + 1 });
    await ctx.runSteps(step.steps, next, scoped(ctx.withState(next), ctx, step));
    results.push(iterationResults(next, step.steps));
    state = next;
  }
  return {
    result: { success: true, iterations: results.length, exit_reason: exitReason, results },
  };
};
