import type { TieredCache } from "../../../cache/index.js";
import type { Fields } from "../../../optimize/index.js";
import type { LanguageModel } from "../../../providers/index.js";
import type { AbBlock, ExecutionMode, FallbackReason } from "../../../report/index.js";
import {
  StepFailure,
  type ExecContext,
  type LlmStepOutcome,
  type RawStep,
} from "../../exec-context.js";
import { buildPrompt, formatResult } from "../../prompt-builder.js";
import { executeLlmStep, recordSessionTurn } from "../../step-executors/index.js";
import type { AbStore } from "../ab-store.js";
import { countFault, type ArmFaults } from "../evaluate-step.js";
import type { HybridSettings } from "../hybrid-settings.js";
import { runOptimizedArm, type OptimizedRun } from "../optimized-arm.js";
import type { PerformanceMonitor } from "../performance-monitor.js";
import type { Routing } from "../route-step.js";
import { InputUnavailable, runtimeInputs } from "../runtime-inputs.js";
import type { StepProgram } from "../step-program.js";

/**
 * The design's hybrid context, per run: the mode, the cache, the optimization context (an LM whose calls
 * count as `optimize`, not as steps), the metrics collector and the fault tallies. The traditional
 * context is the engine's `ExecContext` each step receives; the workflow (its name, `hybrid_config`,
 * `fallback_enabled`) is read from it, so nested pipelines use their own settings.
 */
export interface HybridContext {
  mode: ExecutionMode;
  cache: TieredCache | null;
  /** The run's LM without the per-step meter: compiling, evaluation and judging are not the step's own calls. */
  optimizeLm: LanguageModel;
  /** Seeded by the run's seed: the online allocation and the judge's answer order. */
  random: () => number;
  now: () => number;
  /** Filled with faults per arm, including those recovered by fallback. */
  faults: ArmFaults;
  /** The run's seed; also seeds the bootstrap intervals in `ab` blocks. */
  seed: number;
  /** Records every LLM-step execution (the report's `performance`). */
  monitor: PerformanceMonitor;
  /** false: steps use only programs already in the cache (`--no-compile`). */
  allowCompile: boolean;
  /** Values redacted from model answers a compiled program keeps (its held-out regressions). @default [] */
  secrets?: readonly string[];
}

/** What every route may use: the run's hybrid context and the state the routes share within a run. */
export interface RouteKit extends HybridContext {
  abStore: AbStore;
  evaluations: Map<string, Promise<AbBlock>>;
}

export type Compiled = StepProgram & { compiled: NonNullable<StepProgram["compiled"]> };

/** One routed LLM-step execution, as a route executor receives it. */
export interface RouteCall {
  step: RawStep;
  ctx: ExecContext;
  /** The step's compiled program (absent only on the traditional route). */
  program: Compiled | undefined;
  routing: Routing;
  settings: HybridSettings;
}

export type RouteExecutor = (call: RouteCall, kit: RouteKit) => Promise<LlmStepOutcome>;

/** The compiled program of a route that needs one (a bug if routing sent a step without one). */
export function compiledOf(call: RouteCall): Compiled {
  if (!call.program) throw new Error(`step '${call.step.name}': route needs a compiled program`);
  return call.program;
}

/**
 * Sums latency, cost and tokens of the calls sent through `ctx.lm` (a cache hit counts what its original
 * call took, so variants compare fairly whatever the cache held).
 */
export function measured(ctx: ExecContext): {
  ctx: ExecContext;
  spent: () => { latencyMs: number; costUsd: number | null };
  tokens: () => { inputTokens: number; outputTokens: number };
} {
  let latencyMs = 0;
  let costUsd: number | null = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  const lm: LanguageModel = {
    provider: ctx.lm.provider,
    simulated: ctx.lm.simulated,
    async complete(request, signal) {
      const response = await ctx.lm.complete(request, signal);
      const original = response.uncached ?? response;
      latencyMs += original.latencyMs;
      costUsd = costUsd === null || original.costUsd === null ? null : costUsd + original.costUsd;
      inputTokens += response.usage.inputTokens;
      outputTokens += response.usage.outputTokens;
      return response;
    },
  };
  return {
    ctx: { ...ctx, lm },
    spent: () => ({ latencyMs, costUsd }),
    tokens: () => ({ inputTokens, outputTokens }),
  };
}

export function outcome(
  result: Record<string, unknown>,
  routing: Routing,
  source: string,
  extra: Partial<LlmStepOutcome> = {},
): LlmStepOutcome {
  const reason = source ? `${routing.reason}; ${source}` : routing.reason;
  return {
    result,
    route: routing.route,
    decision: { route: routing.route, reason, estimated_benefit: routing.estimated_benefit },
    fallback: routing.fallback,
    quality: null,
    ...extra,
  };
}

export function refuseFallback(step: RawStep, reason: FallbackReason, detail: string): never {
  throw new StepFailure(
    `step '${step.name}': the optimized variant is unavailable (${reason}: ${detail}) and fallback is off (hybrid_config.fallback_enabled: false); set it to true to run the step's own prompt instead, or fix the cause`,
    "fallback_disabled",
  );
}

/** The step's own prompt, as written. */
export async function runTraditional(
  call: RouteCall,
  routing: Routing,
  source: string,
): Promise<LlmStepOutcome> {
  const run = await executeLlmStep(call.step, call.ctx);
  return outcome(run.result, routing, source);
}

/** The optimized variant failed: count the fault, then the step's own prompt (unless fallback is off). */
export function fallBack(
  call: RouteCall,
  kit: RouteKit,
  failure: { reason: FallbackReason; detail: string; code: string },
): Promise<LlmStepOutcome> {
  const { reason, detail } = failure;
  countFault(kit.faults.optimized, failure.code);
  if (!call.settings.fallbackEnabled) refuseFallback(call.step, reason, detail);
  return runTraditional(
    call,
    {
      route: "traditional",
      reason: `fallback: ${reason} (${detail})`,
      estimated_benefit: call.routing.estimated_benefit,
      fallback: { reason, detail },
    },
    "",
  );
}

/** The compiled program on this input (its run-time inputs read first; a missing one is a failed run). */
export async function optimizedRun(
  call: RouteCall,
  ctx: ExecContext = call.ctx,
): Promise<OptimizedRun & { inputs?: Fields }> {
  const program = compiledOf(call);
  let inputs: Fields;
  try {
    inputs = await runtimeInputs(program.signature, call.step, ctx);
  } catch (error) {
    if (!(error instanceof InputUnavailable)) throw error;
    return {
      ok: false,
      reason: "optimization_failed",
      code: "input_unavailable",
      detail: error.message,
      latencyMs: 0,
      costUsd: 0,
    };
  }
  const run = await runOptimizedArm({
    step: call.step,
    program: program.compiled,
    inputs,
    lm: ctx.lm,
    model: program.model,
    maxTokens: program.maxTokens,
    timeoutMs: call.settings.optimizedTimeoutMs,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  return { ...run, inputs };
}

/** A `claude_session` step answered by its program still adds the exchange to the session's transcript. */
export async function keepSessionTurn(
  step: RawStep,
  ctx: ExecContext,
  result: Record<string, unknown>,
): Promise<void> {
  if (step.type === "claude_session")
    recordSessionTurn(
      step,
      ctx,
      await buildPrompt(step.prompt, step.name, ctx),
      formatResult(result),
    );
}
