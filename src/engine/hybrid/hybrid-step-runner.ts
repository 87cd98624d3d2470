import type { AbBlock, StepFingerprint } from "../../report/index.js";
import type { ExecContext, LlmStepOutcome, LlmStepRunner, RawStep } from "../exec-context.js";
import { emptyAbHistory } from "./ab-history.js";
import { AbStore } from "./ab-store.js";
import { countFault, heldoutRegressions } from "./evaluate-step.js";
import { hybridSettings } from "./hybrid-settings.js";
import { routeStep } from "./route-step.js";
import {
  routeExecutors,
  type Compiled,
  type HybridContext,
  type RouteKit,
} from "./routes/index.js";
import { heldoutBlock } from "./routes/heldout-block.js";
import { measured, refuseFallback, type RouteCall } from "./routes/route-kit.js";
import { stepFingerprint } from "./step-fingerprint.js";
import { loadStepProgram, type StepProgram } from "./step-program.js";

export type { HybridContext } from "./routes/index.js";

type StepMode = "traditional" | "dspy_optimized" | "hybrid";

/**
 * The LLM-step seam for the dspy_optimized, hybrid and evaluation modes (DESIGN: "Hybrid execution").
 * Per step: load or compile its program (once per run, through the cache), route it from the evidence
 * (`routeStep`), then hand it to the route's executor (`routes/`: traditional, optimized, A/B,
 * evaluation). A missing program, a failed or timed-out optimized call falls back to the step's own
 * prompt and says why, unless fallback is off.
 */
export function createHybridStepRunner(deps: HybridContext): LlmStepRunner {
  const programs = new Map<string, Promise<StepProgram | undefined>>();
  const fingerprints = new Map<string, Promise<StepFingerprint>>();
  const kit: RouteKit = {
    ...deps,
    abStore: new AbStore(deps.cache),
    evaluations: new Map<string, Promise<AbBlock>>(),
  };

  const programFor = (step: RawStep, ctx: ExecContext) => {
    const key = `${ctx.file}#${step.name}`;
    let program = programs.get(key);
    if (!program) {
      program = loadStepProgram(step, ctx, {
        cache: deps.cache,
        lm: deps.optimizeLm,
        now: deps.now,
        allowCompile: deps.allowCompile,
        ...(deps.secrets ? { secrets: deps.secrets } : {}),
      });
      programs.set(key, program);
    }
    return program;
  };

  async function route(step: RawStep, ctx: ExecContext): Promise<LlmStepOutcome> {
    const settings = hybridSettings(ctx.workflow.hybrid_config, ctx.workflow.dspy_config);
    const stepMode =
      typeof step.execution_mode === "string" ? (step.execution_mode as StepMode) : undefined;
    const program = stepMode === "traditional" ? undefined : await programFor(step, ctx);
    const history = program?.compiled
      ? await kit.abStore.get(AbStore.keyFor(program.compiled.meta.cache_key))
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
    const compiled = program?.compiled ? (program as Compiled) : undefined;
    const call = { step, ctx, program: compiled, routing, settings };
    if (routing.fallback) {
      // A missing program is a configuration state, not a fault; a failed compile is.
      if (routing.fallback.reason !== "dspy_unavailable")
        countFault(deps.faults.optimized, routing.fallback.reason);
      if (!settings.fallbackEnabled)
        refuseFallback(step, routing.fallback.reason, routing.fallback.detail);
      return routeExecutors.traditional({ ...call, program: undefined }, kit);
    }
    if (!compiled) return routeExecutors.traditional(call, kit);
    const executor =
      deps.mode === "evaluation"
        ? "evaluation"
        : routing.route === "traditional"
          ? "traditional"
          : routing.route === "ab"
            ? "ab"
            : "optimized";
    return withEvidence(await routeExecutors[executor](call, kit), call, compiled);
  }

  /** Whatever the route, the step reports the held-out comparison it was routed on (an online block, when there is one, wins). */
  async function withEvidence(
    outcome: LlmStepOutcome,
    call: RouteCall,
    compiled: Compiled,
  ): Promise<LlmStepOutcome> {
    const regressions = heldoutRegressions(compiled.compiled.meta);
    const evidence = outcome.ab ? {} : { ab: await heldoutBlock(call, kit, compiled) };
    return { ...outcome, ...evidence, ...(regressions ? { regressions } : {}) };
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
      const key = `${run.ctx.file}#${step.name}`;
      const program = await programs.get(key);
      if (program?.provenance) outcome.program = program.provenance;
      let fingerprint = fingerprints.get(key);
      if (!fingerprint)
        fingerprints.set(key, (fingerprint = stepFingerprint(step, run.ctx, program)));
      outcome.fingerprint = await fingerprint;
      record(outcome.route, true, outcome.quality);
      return outcome;
    } catch (error) {
      // Failures come from the traditional prompt (optimized failures fall back to it).
      record("traditional", false, null);
      throw error;
    }
  };
}
