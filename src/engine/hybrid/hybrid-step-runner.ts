import type { TieredCache } from "../../cache/index.js";
import type { MetricSpec } from "../../config/index.js";
import { CallLedger, traditionalOutputs, type Fields } from "../../optimize/index.js";
import type { LanguageModel } from "../../providers/index.js";
import type { AbBlock, ExecutionMode, FallbackReason, ScorePair } from "../../report/index.js";
import { buildAbBlock } from "../../report/index.js";
import {
  StepFailure,
  type ExecContext,
  type LlmStepOutcome,
  type LlmStepRunner,
  type RawStep,
} from "../exec-context.js";
import { buildPrompt, formatResult } from "../prompt-builder.js";
import { executeLlmStep, recordSessionTurn } from "../step-executors/index.js";
import {
  emptyAbHistory,
  planAbInput,
  recordPair,
  recordSingle,
  type AbHistory,
  type Arm,
} from "./ab-history.js";
import { AbStore } from "./ab-store.js";
import { countFault, evaluateStep, type ArmFaults } from "./evaluate-step.js";
import { hybridSettings, type HybridSettings } from "./hybrid-settings.js";
import { runOptimizedArm, type OptimizedRun } from "./optimized-arm.js";
import {
  preferredArm,
  referenceFreeScorer,
  type ArmOutcome,
  type ReferenceFreeScorer,
} from "./reference-free-score.js";
import { routeStep, type Routing } from "./route-step.js";
import { InputUnavailable, runtimeInputs } from "./runtime-inputs.js";
import type { PerformanceMonitor } from "./performance-monitor.js";
import { loadStepProgram, type StepProgram } from "./step-program.js";

/**
 * The design's hybrid context, per run: the mode, the cache, the optimization context (an LM whose calls
 * count as `optimize`, not as steps), the metrics collector and the fault tallies. The traditional
 * context is the engine's `ExecContext` each step receives; the workflow (its name, `hybrid_config`,
 * `fallback_enabled`) is read from it, so nested pipelines use their own settings.
 */
export interface HybridContext {
  mode: ExecutionMode;
  cache: TieredCache | null;
  /** The run's LM without the per-step meter: compiling and dev-set evaluation are not the step's own calls. */
  optimizeLm: LanguageModel;
  random: () => number;
  now: () => number;
  /** Filled with faults per arm, including those recovered by fallback. */
  faults: ArmFaults;
  /** Seed of the bootstrap intervals in `ab` blocks. */
  seed: number;
  /** Records every LLM-step execution (the report's `performance`). */
  monitor: PerformanceMonitor;
  /** false: steps use only programs already in the cache (`--no-compile`). */
  allowCompile: boolean;
}

type Compiled = StepProgram & { compiled: NonNullable<StepProgram["compiled"]> };
type StepMode = "traditional" | "dspy_optimized" | "hybrid";

/**
 * Sums latency, cost and tokens of the calls sent through `ctx.lm` (a cache hit counts what its original
 * call took, so variants compare fairly whatever the cache held).
 */
function measured(ctx: ExecContext): {
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

function outcome(
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

function fallbackRouting(routing: Routing, reason: FallbackReason, detail: string): Routing {
  return {
    route: "traditional",
    reason: `fallback: ${reason} (${detail})`,
    estimated_benefit: routing.estimated_benefit,
    fallback: { reason, detail },
  };
}

function refuseFallback(step: RawStep, reason: FallbackReason, detail: string): never {
  throw new StepFailure(
    `step '${step.name}': the optimized variant is unavailable (${reason}: ${detail}) and fallback is off (hybrid_config.fallback_enabled: false); set it to true to run the step's own prompt instead, or fix the cause`,
    "fallback_disabled",
  );
}

/**
 * The LLM-step seam for the dspy_optimized, hybrid and evaluation modes (DESIGN: "Hybrid execution").
 * Per step: load or compile its program (once per run, through the cache), route it from the measured
 * evidence (`routeStep`), then run the traditional prompt, the compiled program, or both (online A/B:
 * Thompson allocation, the result a reference-free scorer prefers is kept, an always-valid test ends
 * the A/B). A missing program, a failed or timed-out optimized call falls back to the step's own prompt
 * and says why, unless fallback is off.
 */
export function createHybridStepRunner(deps: HybridContext): LlmStepRunner {
  const programs = new Map<string, Promise<StepProgram | undefined>>();
  const evaluations = new Map<string, Promise<AbBlock>>();
  const abStore = new AbStore(deps.cache);

  const programFor = (step: RawStep, ctx: ExecContext) => {
    const key = `${ctx.file}#${step.name}`;
    let program = programs.get(key);
    if (!program) {
      program = loadStepProgram(step, ctx, {
        cache: deps.cache,
        lm: deps.optimizeLm,
        now: deps.now,
        allowCompile: deps.allowCompile,
      });
      programs.set(key, program);
    }
    return program;
  };

  async function traditionalRoute(
    step: RawStep,
    ctx: ExecContext,
    routing: Routing,
    source: string,
  ): Promise<LlmStepOutcome> {
    const run = await executeLlmStep(step, ctx);
    return outcome(run.result, routing, source);
  }

  async function fallBack(
    step: RawStep,
    ctx: ExecContext,
    routing: Routing,
    settings: HybridSettings,
    reason: FallbackReason,
    detail: string,
    code: string,
  ): Promise<LlmStepOutcome> {
    countFault(deps.faults.optimized, code);
    if (!settings.fallbackEnabled) refuseFallback(step, reason, detail);
    return traditionalRoute(step, ctx, fallbackRouting(routing, reason, detail), "");
  }

  async function optimizedRun(
    step: RawStep,
    ctx: ExecContext,
    program: Compiled,
    settings: HybridSettings,
  ): Promise<OptimizedRun & { inputs?: Fields }> {
    let inputs: Fields;
    try {
      inputs = await runtimeInputs(program.signature, step, ctx);
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
      step,
      program: program.compiled,
      inputs,
      lm: ctx.lm,
      model: program.model,
      maxTokens: program.maxTokens,
      timeoutMs: settings.optimizedTimeoutMs,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    return { ...run, inputs };
  }

  async function optimizedRoute(
    step: RawStep,
    ctx: ExecContext,
    program: Compiled,
    routing: Routing,
    settings: HybridSettings,
  ): Promise<LlmStepOutcome> {
    const run = await optimizedRun(step, ctx, program, settings);
    if (!run.ok) return fallBack(step, ctx, routing, settings, run.reason, run.detail, run.code);
    await keepSessionTurn(step, ctx, run.result);
    return outcome(run.result, routing, program.source);
  }

  /** A `claude_session` step answered by its program still adds the exchange to the session's transcript. */
  async function keepSessionTurn(
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

  function scorerFor(step: RawStep, program: Compiled): ReferenceFreeScorer {
    return referenceFreeScorer(step.metric as MetricSpec | undefined, program.signature, {
      lm: deps.optimizeLm,
      ledger: new CallLedger(),
      model: program.model,
    });
  }

  function onlineBlock(
    history: AbHistory,
    scorer: ReferenceFreeScorer,
    settings: HybridSettings,
  ): AbBlock | undefined {
    if (history.recent.length === 0) return undefined;
    return buildAbBlock({
      source: "online",
      metric: scorer.name,
      pairs: history.recent,
      seed: deps.seed,
      threshold: settings.performanceThreshold,
    });
  }

  async function abRoute(
    step: RawStep,
    ctx: ExecContext,
    program: Compiled,
    routing: Routing,
    settings: HybridSettings,
  ): Promise<LlmStepOutcome> {
    const key = AbStore.keyFor(program.compiled.meta.cache_key);
    const tags = [`workflow:${ctx.workflow.name}`, `step:${step.name}`];
    const scorer = scorerFor(step, program);
    const plan = planAbInput(await abStore.get(key), deps.random, settings.minPairShare);
    const armRouting = (arm: Arm, why: string): Routing => ({
      ...routing,
      route: arm === "optimized" ? "optimized" : "traditional",
      reason: `${routing.reason}; ${why}`,
    });

    if (plan.kind === "single" && plan.arm === "traditional") {
      const trad = measured(ctx);
      const run = await executeLlmStep(step, trad.ctx);
      const score = await scorer.score(
        traditionalOutputs(program.signature, formatResult(run.result)),
        {},
      );
      const history = await abStore.update(key, tags, (h) => recordSingle(h, "traditional", score));
      return outcome(
        run.result,
        armRouting("traditional", "A/B allocation chose traditional (Thompson sampling)"),
        program.source,
        { quality: score, ...withBlock(onlineBlock(history, scorer, settings)) },
      );
    }
    if (plan.kind === "single") {
      const run = await optimizedRun(step, ctx, program, settings);
      if (!run.ok) return fallBack(step, ctx, routing, settings, run.reason, run.detail, run.code);
      await keepSessionTurn(step, ctx, run.result);
      const score = await scorer.score(run.outputs, run.inputs ?? {});
      const history = await abStore.update(key, tags, (h) => recordSingle(h, "optimized", score));
      return outcome(
        run.result,
        armRouting("optimized", "A/B allocation chose optimized (Thompson sampling)"),
        program.source,
        { quality: score, ...withBlock(onlineBlock(history, scorer, settings)) },
      );
    }
    return bothArms(step, ctx, program, routing, settings, { key, tags, scorer });
  }

  async function bothArms(
    step: RawStep,
    ctx: ExecContext,
    program: Compiled,
    routing: Routing,
    settings: HybridSettings,
    ab: { key: string; tags: string[]; scorer: ReferenceFreeScorer },
  ): Promise<LlmStepOutcome> {
    const trad = measured(ctx);
    const [traditional, optimized] = await Promise.allSettled([
      executeLlmStep(step, trad.ctx),
      optimizedRun(step, ctx, program, settings),
    ]);
    if (optimized.status === "rejected") throw optimized.reason;
    const opt = optimized.value;
    if (traditional.status === "rejected") {
      if (!opt.ok) throw traditional.reason;
      countFault(
        deps.faults.traditional,
        traditional.reason instanceof StepFailure ? traditional.reason.code : "step_failed",
      );
    }
    if (!opt.ok) countFault(deps.faults.optimized, opt.code);
    const tradResult = traditional.status === "fulfilled" ? traditional.value.result : undefined;
    const tradOutcome: ArmOutcome = {
      ok: tradResult !== undefined,
      score: tradResult
        ? await ab.scorer.score(
            traditionalOutputs(program.signature, formatResult(tradResult)),
            opt.inputs ?? {},
          )
        : 0,
      ...trad.spent(),
    };
    const optOutcome: ArmOutcome = {
      ok: opt.ok,
      score: opt.ok ? await ab.scorer.score(opt.outputs, opt.inputs ?? {}) : 0,
      latencyMs: opt.latencyMs,
      costUsd: opt.costUsd,
    };
    const pair: ScorePair = {
      traditional: tradOutcome.score,
      optimized: optOutcome.score,
      latency_ms: { traditional: tradOutcome.latencyMs, optimized: optOutcome.latencyMs },
      cost_usd: { traditional: tradOutcome.costUsd, optimized: optOutcome.costUsd },
    };
    const history = await abStore.update(ab.key, ab.tags, (h) =>
      recordPair(h, pair, settings.alpha, settings.performanceThreshold),
    );
    const kept =
      opt.ok && (tradResult === undefined || preferredArm(tradOutcome, optOutcome) === "optimized")
        ? "optimized"
        : "traditional";
    const result = kept === "optimized" && opt.ok ? opt.result : tradResult!;
    const why = `both variants ran; kept ${kept} (${ab.scorer.name} ${pair.traditional.toFixed(2)} vs ${pair.optimized.toFixed(2)})`;
    return outcome(result, { ...routing, reason: `${routing.reason}; ${why}` }, program.source, {
      quality: Math.max(pair.traditional, pair.optimized),
      ...withBlock(onlineBlock(history, ab.scorer, settings)),
    });
  }

  async function evaluationRoute(
    step: RawStep,
    ctx: ExecContext,
    program: Compiled,
    routing: Routing,
    settings: HybridSettings,
  ): Promise<LlmStepOutcome> {
    const key = `${ctx.file}#${step.name}`;
    let block = evaluations.get(key);
    if (!block) {
      block = evaluateStep(step, ctx, program, {
        lm: deps.optimizeLm,
        faults: deps.faults,
        seed: deps.seed,
        threshold: settings.performanceThreshold,
      });
      evaluations.set(key, block);
    }
    const [ab, run] = await Promise.all([block, executeLlmStep(step, ctx)]);
    return outcome(run.result, routing, program.source, { ab, quality: ab.optimized.mean });
  }

  async function route(step: RawStep, ctx: ExecContext): Promise<LlmStepOutcome> {
    const settings = hybridSettings(ctx.workflow.hybrid_config, ctx.workflow.dspy_config);
    const stepMode =
      typeof step.execution_mode === "string" ? (step.execution_mode as StepMode) : undefined;
    const program = stepMode === "traditional" ? undefined : await programFor(step, ctx);
    const history = program?.compiled
      ? await abStore.get(AbStore.keyFor(program.compiled.meta.cache_key))
      : emptyAbHistory();
    // Evaluation measures every step with a program, whatever its own mode (except a forced traditional).
    const routedMode =
      deps.mode === "evaluation" && stepMode !== "traditional" ? undefined : stepMode;
    const routing = routeStep({
      mode: deps.mode,
      ...(routedMode ? { stepMode: routedMode } : {}),
      ...(program ? { program: program.evidence } : {}),
      history,
      settings,
    });
    if (routing.fallback) {
      // A missing program is a configuration state, not a fault; a failed compile is.
      if (routing.fallback.reason !== "dspy_unavailable")
        countFault(deps.faults.optimized, routing.fallback.reason);
      if (!settings.fallbackEnabled)
        refuseFallback(step, routing.fallback.reason, routing.fallback.detail);
      return traditionalRoute(step, ctx, routing, "");
    }
    if (!program?.compiled || routing.route === "traditional")
      return traditionalRoute(step, ctx, routing, program?.compiled ? program.source : "");
    const compiled = program as Compiled;
    if (deps.mode === "evaluation") return evaluationRoute(step, ctx, compiled, routing, settings);
    if (routing.route === "ab") return abRoute(step, ctx, compiled, routing, settings);
    return optimizedRoute(step, ctx, compiled, routing, settings);
  }

  return async (step, ctx) => {
    const run = measured(ctx);
    const record = (
      routeTaken: LlmStepOutcome["route"],
      success: boolean,
      quality: number | null,
    ) =>
      deps.monitor.record({
        step: step.name,
        route: routeTaken,
        success,
        ...run.spent(),
        ...run.tokens(),
        quality,
      });
    try {
      const outcome = await route(step, run.ctx);
      const program = await programs.get(`${run.ctx.file}#${step.name}`);
      if (program?.provenance) outcome.program = program.provenance;
      record(outcome.route, true, outcome.quality);
      return outcome;
    } catch (error) {
      // Failures come from the traditional prompt (optimized failures fall back to it).
      record("traditional", false, null);
      throw error;
    }
  };
}

function withBlock(ab: AbBlock | undefined): { ab?: AbBlock } {
  return ab ? { ab } : {};
}
