import path from "node:path";
import type { Workflow } from "../config/index.js";
import type { TieredCache } from "../cache/index.js";
import {
  createBudget,
  createLmCallCounter,
  withBudget,
  withCallAccounting,
  withFaultTally,
  withLmCallCache,
  type FaultTally,
  type LanguageModel,
} from "../providers/index.js";
import type { ExecutionMode, RunReport, StepReport } from "../report/index.js";
import type { ExecContext, LlmStepRunner, RawStep } from "./exec-context.js";
import { StepFailure } from "./exec-context.js";
import { executeStep, runNestedSteps } from "./execute-step.js";
import type { ArmFaults } from "./hybrid/evaluate-step.js";
import { createHybridStepRunner } from "./hybrid/hybrid-step-runner.js";
import { PerformanceMonitor } from "./hybrid/performance-monitor.js";
import { resolveExecutionMode } from "./hybrid/resolve-mode.js";
import { createNestedRecorder } from "./nested-steps.js";
import { buildRunReport, stepReport, type StepRecord } from "./report-builder.js";
import type { RunContext } from "./run-context.js";
import type { RunSeed } from "./run-seed.js";
import { executeLlmStep } from "./step-executors/index.js";
import { createExecState, createResolver, type ExecState } from "./step-results.js";
import { STOPPED, stopReason, untilStopped } from "./until-stopped.js";
import { createUsageMeter, withUsageMeter } from "./usage-meter.js";

/** Progress of a run, for faces that print it (the CLI's per-step lines). */
export type StepEvent =
  | { kind: "started"; index: number; total: number; name: string; type: string }
  | { kind: "finished"; index: number; total: number; report: StepReport };

/** How to run a workflow. */
export interface RunOptions {
  /** Pipeline file, as given (reported relative to `workdir`). */
  file: string;
  /** The loaded workflow (defaults merged). */
  workflow: Workflow;
  lm: LanguageModel;
  context: RunContext;
  /** Directory `file` prompt parts, outputs and the workspace are relative to. */
  workdir: string;
  /** @default the workflow's (`hybrid_config.mode`, `dspy_config` flags), else `traditional` */
  mode?: ExecutionMode;
  /** Most LM calls in flight at once within a step (parallel_claude, parallel loops). @default 4 */
  concurrency?: number;
  /** Spending limit in USD; null or absent means none. @default null */
  budgetUsd?: number | null;
  /** Seed of the online allocation, written in the report; the faces pass `resolveRunSeed`'s and build `context.random` from the same value. @default { value: 0, source: "default" } */
  seed?: RunSeed;
  /** Tiered cache of compiled programs, A/B history and LM calls at temperature 0; null or absent disables caching. @default null */
  cache?: TieredCache | null;
  /** false: steps use only compiled programs already in the cache; none is compiled during the run. @default true */
  compile?: boolean;
  onStep?: (event: StepEvent) => void;
  /** Values of `{{inputs.x}}` (and bare `{{x}}`). @default {} */
  inputs?: Record<string, unknown>;
  /** The LLM-step seam (the hybrid and optimized routes replace it). @default executeLlmStep */
  llmStep?: LlmStepRunner;
  /** Waits between `claude_robust` retries. @default a real timer */
  sleep?: (ms: number) => Promise<void>;
  /** Warnings already known (e.g. from loading the file); they open `report.warnings`. @default [] */
  warnings?: string[];
  /** Secret values (API keys) replaced by `***` in every error and warning of the report. @default [] */
  secrets?: readonly string[];
  /** The tool version written to the report. @default "0.1.0" */
  version?: string;
  /**
   * Stops the run when it aborts: the step in progress and every later one are `not_run`, the
   * report's status is `partial` and a warning names `signal.reason` (e.g. "SIGTERM"). LM calls
   * in flight are aborted too. @default none
   */
  signal?: AbortSignal;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function compactTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace("T", "_").slice(0, 15);
}

/**
 * Runs a workflow's steps in order (pipeline_ex's `Pipeline.Executor`), results keyed by step name,
 * and returns the {@link RunReport}. A failing step is recorded (status `failed`, redacted error), later
 * steps are `not_run` (unless `defaults.continue_on_error`), and the report is still returned.
 * Never throws for a step failure; rejects only on a bug.
 */
export async function runWorkflow(options: RunOptions): Promise<RunReport> {
  const { workflow, context } = options;
  const startedAt = context.now();
  const { mode, source: modeSource } = resolveExecutionMode(workflow, options.mode);
  const warnings = [...(options.warnings ?? [])];
  const warned = new Set<string>();
  const warnOnce = (key: string, message: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    warnings.push(message);
    context.logger.warn(message);
  };

  const seed = options.seed ?? { value: 0, source: "default" };
  const calls = createLmCallCounter();
  const limitUsd = options.budgetUsd ?? null;
  // Without a limit the budget still adds up the spend of every call (steps, compiling, evaluation).
  const budget = createBudget(limitUsd ?? Number.POSITIVE_INFINITY);
  const providerFaults: FaultTally = {};
  // The budget refuses before the counter sees a call: a refused call is not a call sent.
  let lm = withBudget(
    withCallAccounting(withFaultTally(options.lm, providerFaults), calls),
    budget,
  );
  const cache = options.cache ?? null;
  let uncacheable = 0;
  if (cache)
    lm = withLmCallCache(
      lm,
      {
        get: async (key) => (await cache.get(key))?.entry.value,
        set: (key, value) => cache.set(key, value, ["lm_call"]),
      },
      (event) => void (event.kind === "uncacheable" && uncacheable++),
      { secrets: options.secrets ?? [] },
    );
  const optimizeLm = lm;
  let meter = createUsageMeter();
  lm = withUsageMeter(lm, () => meter);
  const faults: ArmFaults = { traditional: {}, optimized: {} };
  const monitor = new PerformanceMonitor();
  const llmStep =
    options.llmStep ??
    (mode === "traditional"
      ? executeLlmStep
      : createHybridStepRunner({
          mode,
          cache,
          optimizeLm,
          random: context.random,
          now: context.now,
          faults,
          seed: seed.value,
          monitor,
          allowCompile: options.compile ?? true,
          secrets: options.secrets ?? [],
        }));

  const nested = createNestedRecorder();
  const absoluteFile = path.resolve(options.workdir, options.file);
  const builtins = { timestamp: compactTimestamp(startedAt), workflow: { name: workflow.name } };
  const base = {
    lm,
    run: context,
    workdir: options.workdir,
    outputDir: path.resolve(
      options.workdir,
      workflow.defaults?.output_dir ?? workflow.output_dir ?? "./outputs",
    ),
    workspaceDir: path.resolve(options.workdir, workflow.workspace_dir ?? "./workspace"),
    concurrency: Math.max(1, options.concurrency ?? 4),
    llmStep,
    runSteps: runNestedSteps,
    nested,
    warnOnce,
    sleep: options.sleep ?? realSleep,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const contextFor = (
    state: ExecState,
    pipeline: { workflow: Workflow; file: string; stack: readonly string[] },
  ): ExecContext => ({
    ...base,
    ...pipeline,
    state,
    templates: {
      resolve: createResolver(state, builtins),
      now: context.now,
      onUnresolved: (p) =>
        warnOnce(`template:${p}`, `template ${p} resolves to nothing; left as written`),
    },
    withState: (next, other) => contextFor(next, other ?? pipeline),
  });
  const state = createExecState({
    globalVars: workflow.global_vars ?? {},
    inputs: { ...(workflow.input ?? {}), ...(options.inputs ?? {}) },
  });
  const ctx = contextFor(state, { workflow, file: absoluteFile, stack: [] });

  const steps: readonly RawStep[] = workflow.steps;
  const continueOnError = workflow.defaults?.continue_on_error === true;
  const records: StepRecord[] = [];
  const errors: Record<string, number> = {};
  let stopped = false;
  let budgetStop = false;
  let interrupted = false;
  // Not logged like other warnings: the face that stopped the run says so itself, in one line.
  const markStopped = (record: StepRecord, index: number) => {
    const why = stopReason(options.signal!);
    record.skipReason = `not run: the run was stopped (${why})`;
    if (!interrupted)
      warnings.push(
        `the run was stopped by ${why} after ${index} of ${steps.length} steps: this report is partial`,
      );
    interrupted = stopped = true;
  };
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    meter = createUsageMeter();
    const record: StepRecord = {
      name: step.name,
      type: step.type,
      status: "not_run",
      error: null,
      meter,
    };
    records.push(record);
    if (budgetStop) record.skipReason = "not run: the budget ran out";
    if (interrupted || options.signal?.aborted) markStopped(record, index);
    if (stopped) continue;
    options.onStep?.({
      kind: "started",
      index,
      total: steps.length,
      name: step.name,
      type: step.type,
    });
    try {
      const run = await untilStopped(executeStep(step, ctx), options.signal);
      if (run === STOPPED) {
        markStopped(record, index);
        continue;
      }
      if (run.kind === "skipped")
        Object.assign(record, { status: "skipped", skipReason: run.reason });
      else {
        record.status = "success";
        record.result = run.value.result;
        if (run.value.llm) record.llm = run.value.llm;
      }
    } catch (error) {
      const failure = error instanceof StepFailure ? error : new StepFailure(String(error));
      if (failure.code === "budget_exhausted") {
        // No new LM call may start once the budget is spent: the run stops here, whatever continue_on_error says.
        Object.assign(record, {
          status: "not_run",
          error: failure.message,
          skipReason: "not run: the budget ran out before its LM call",
        });
        budgetStop = stopped = true;
        warnOnce(
          "budget",
          `budget of $${options.budgetUsd} spent after ${index} of ${steps.length} steps: the run stopped and this report is partial`,
        );
      } else {
        Object.assign(record, { status: "failed", error: failure.message });
        stopped = !continueOnError;
      }
      errors[failure.code] = (errors[failure.code] ?? 0) + 1;
    }
    const inner = nested.take(step.name, options.secrets ?? []);
    if (inner.length > 0) record.nested = inner;
    options.onStep?.({
      kind: "finished",
      index,
      total: steps.length,
      report: stepReport(record, options.secrets),
    });
  }

  return buildRunReport({
    workflow: workflow.name,
    file: path.relative(options.workdir, absoluteFile) || options.file,
    mode,
    modeSource,
    provider: options.lm.provider,
    simulated: options.lm.simulated,
    seed,
    version: options.version ?? "0.1.0",
    startedAt,
    finishedAt: context.now(),
    steps: records,
    cache: cache ? { ...cache.report(), ...(uncacheable > 0 ? { uncacheable } : {}) } : null,
    lmCalls: calls,
    errors: mergeFaults(errors, faults),
    providerFaults,
    performance: monitor.summary(),
    budget: { limitUsd, spentUsd: budget.spentUsd, exhausted: (errors.budget_exhausted ?? 0) > 0 },
    warnings,
    continueOnError,
    interrupted,
    secrets: options.secrets ?? [],
  });
}

/** Step failures (they ran the traditional prompt, or the traditional fallback) join the faults counted per arm during the run. */
function mergeFaults(stepFailures: Record<string, number>, faults: ArmFaults): ArmFaults {
  const traditional = { ...faults.traditional };
  for (const [code, n] of Object.entries(stepFailures))
    traditional[code] = (traditional[code] ?? 0) + n;
  return { traditional, optimized: { ...faults.optimized } };
}
