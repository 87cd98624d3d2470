import { cacheKey } from "../../../cache/index.js";
import { traditionalOutputs, type Fields } from "../../../optimize/index.js";
import type { LlmStepOutcome, ExecContext } from "../../exec-context.js";
import { StepFailure } from "../../exec-context.js";
import { formatResult } from "../../prompt-builder.js";
import { executeLlmStep } from "../../step-executors/index.js";
import {
  isCounted,
  planAbInput,
  recordCanary,
  recordPair,
  recordRepeat,
  type AbHistory,
  type Arm,
} from "../ab-history.js";
import { AbStore } from "../ab-store.js";
import { countFault } from "../evaluate-step.js";
import { canaryTripped, onlineAbBlock, onlineEvidence } from "../online-block.js";
import { isValidAnswer, onlineScorer, type OnlineScorer } from "../online-scorer.js";
import type { Routing } from "../route-step.js";
import { InputUnavailable, runtimeInputs } from "../runtime-inputs.js";
import type { Compiled, RouteCall, RouteExecutor, RouteKit } from "./route-kit.js";
import {
  compiledOf,
  fallBack,
  keepSessionTurn,
  measured,
  optimizedRun,
  outcome,
} from "./route-kit.js";

interface AbInput {
  call: RouteCall;
  kit: RouteKit;
  program: Compiled;
  scorer: OnlineScorer;
  key: string;
  tags: string[];
  /** Content hash of the program's inputs: each distinct input counts once (null: unknown, counts never). */
  inputKey: string | null;
  inputs: Fields;
}

async function inputsOf(call: RouteCall, program: Compiled): Promise<Fields | null> {
  try {
    return await runtimeInputs(program.signature, call.step, call.ctx);
  } catch (error) {
    if (error instanceof InputUnavailable) return null;
    throw error;
  }
}

const armRouting = (routing: Routing, arm: Arm, why: string): Routing => ({
  ...routing,
  route: arm,
  reason: `${routing.reason}; ${why}`,
});

function finish(
  ab: AbInput,
  history: AbHistory,
  result: Record<string, unknown>,
  routing: Routing,
  quality: number | null,
): LlmStepOutcome {
  const online = onlineEvidence(history, ab.scorer, ab.call.settings);
  const block = onlineAbBlock(history, online, ab.call.settings, ab.kit.seed);
  return outcome(result, routing, ab.program.source, {
    quality,
    online,
    ...(block ? { ab: block } : {}),
  });
}

/** The traditional arm, its result read as the signature's output fields (the same adapter as the metric's). */
async function traditionalArm(ab: AbInput, ctx: ExecContext) {
  const run = await executeLlmStep(ab.call.step, ctx);
  return {
    result: run.result,
    outputs: traditionalOutputs(ab.program.signature, formatResult(run.result)),
  };
}

/**
 * Without a judge: one arm per input (the optimized program on `canaryShare` of them), watched for
 * failures and answers outside the signature; no pair is paid for and quality is not compared, so
 * routing rests on held-out evidence. A canary that trips stops the optimized program.
 */
async function canaryInput(ab: AbInput, history: AbHistory): Promise<LlmStepOutcome> {
  const { call, kit } = ab;
  if (canaryTripped(history.canary)) {
    const run = await traditionalArm(ab, call.ctx);
    const why = `canary stopped the optimized program: it failed or answered outside the signature more often (${history.canary.optimized.failed + history.canary.optimized.invalid}/${history.canary.optimized.n} vs ${history.canary.traditional.failed + history.canary.traditional.invalid}/${history.canary.traditional.n})`;
    return finish(ab, history, run.result, armRouting(call.routing, "traditional", why), null);
  }
  const arm: Arm = kit.random() < call.settings.canaryShare ? "optimized" : "traditional";
  const why = `canary chose ${arm} (no online judge: no pairs paid for)`;
  const record = (failed: boolean, invalid: boolean) =>
    kit.abStore.update(ab.key, ab.tags, (h) =>
      recordCanary(h, arm, { failed, invalid }, ab.inputKey),
    );
  if (arm === "traditional") {
    let run;
    try {
      run = await traditionalArm(ab, call.ctx);
    } catch (error) {
      await record(true, false);
      throw error;
    }
    const next = await record(false, !isValidAnswer(ab.program.signature, run.outputs));
    return finish(ab, next, run.result, armRouting(call.routing, "traditional", why), null);
  }
  const run = await optimizedRun(call);
  const next = await record(!run.ok, run.ok && !isValidAnswer(ab.program.signature, run.outputs));
  if (!run.ok) return fallBack(call, kit, run);
  await keepSessionTurn(call.step, call.ctx, run.result);
  return finish(ab, next, run.result, armRouting(call.routing, "optimized", why), null);
}

/** One arm on this input: a pairwise judge cannot score a single answer, so it adds no evidence. */
async function singleArm(ab: AbInput, arm: Arm, why: string): Promise<LlmStepOutcome> {
  const { call, kit } = ab;
  const repeat = () => kit.abStore.update(ab.key, ab.tags, (h) => recordRepeat(h, ab.inputKey));
  if (arm === "traditional") {
    const run = await traditionalArm(ab, call.ctx);
    return finish(ab, await repeat(), run.result, armRouting(call.routing, arm, why), null);
  }
  const run = await optimizedRun(call);
  if (!run.ok) return fallBack(call, kit, run);
  await keepSessionTurn(call.step, call.ctx, run.result);
  return finish(ab, await repeat(), run.result, armRouting(call.routing, arm, why), null);
}

/** Both arms on the same input: one paired observation, scored by the judge. */
async function bothArms(ab: AbInput): Promise<LlmStepOutcome> {
  const { call, kit, scorer } = ab;
  if (scorer.kind === "canary") throw new Error("a canary never pairs");
  const trad = measured(call.ctx);
  const [traditional, optimized] = await Promise.allSettled([
    traditionalArm(ab, trad.ctx),
    optimizedRun(call),
  ]);
  if (optimized.status === "rejected") throw optimized.reason;
  const opt = optimized.value;
  if (traditional.status === "rejected") {
    if (!opt.ok) throw traditional.reason;
    countFault(
      kit.faults.traditional,
      traditional.reason instanceof StepFailure ? traditional.reason.code : "step_failed",
    );
  }
  if (!opt.ok) countFault(kit.faults.optimized, opt.code);
  const tradRun = traditional.status === "fulfilled" ? traditional.value : undefined;
  const scores = await scorer.scorePair(
    ab.inputs,
    tradRun?.outputs,
    opt.ok ? opt.outputs : undefined,
  );
  const tradSpent = trad.spent();
  const history = scores
    ? await kit.abStore.update(ab.key, ab.tags, (h) =>
        recordPair(
          h,
          {
            ...scores,
            latency_ms: { traditional: tradSpent.latencyMs, optimized: opt.latencyMs },
            cost_usd: { traditional: tradSpent.costUsd, optimized: opt.costUsd },
          },
          call.settings.alpha,
          call.settings.performanceThreshold,
          ab.inputKey,
        ),
      )
    : await kit.abStore.get(ab.key);
  const optimizedWins =
    opt.ok && (tradRun === undefined || (scores !== null && scores.optimized > scores.traditional));
  const kept: Arm = optimizedWins ? "optimized" : "traditional";
  const result = optimizedWins && opt.ok ? opt.result : tradRun!.result;
  const shown = scores
    ? `${scorer.detail} ${scores.traditional.toFixed(2)} vs ${scores.optimized.toFixed(2)}`
    : `${scorer.detail}: no evidence from this pair`;
  const routing = {
    ...call.routing,
    reason: `${call.routing.reason}; both variants ran; kept ${kept} (${shown})`,
  };
  // A preference is not a quality: the step's quality stays unscored online.
  return finish(ab, history, result, routing, null);
}

/**
 * The A/B route. With `hybrid_config.online_judge`, inputs are allocated
 * by Thompson sampling, some run both arms as a scored pair, and an always-valid sequential test ends
 * the A/B. Without one it is a canary. Either way, each distinct input counts once: a repeated input,
 * a cache hit or a re-run of the same CI input runs, but adds no evidence and never pays for a pair.
 */
export const abRoute: RouteExecutor = async (call, kit) => {
  const program = compiledOf(call);
  const inputs = await inputsOf(call, program);
  const scorer = onlineScorer(call.step, program.signature, call.settings, {
    lm: kit.optimizeLm,
    model: program.model,
    random: kit.random,
  });
  const ab: AbInput = {
    call,
    kit,
    program,
    scorer,
    key: AbStore.keyFor(program.compiled.meta.cache_key),
    tags: [`workflow:${call.ctx.workflow.name}`, `step:${call.step.name}`],
    // 64 bits of the hash: collisions are negligible, and the history stays small enough to write each time.
    inputKey: inputs ? cacheKey({ kind: "ab_input", inputs }).slice(0, 16) : null,
    inputs: inputs ?? {},
  };
  const history = await kit.abStore.get(ab.key);
  if (scorer.kind === "canary") return canaryInput(ab, history);
  const plan = planAbInput(
    history,
    kit.random,
    call.settings.minPairShare,
    isCounted(history, ab.inputKey),
  );
  if (plan.kind === "both") return bothArms(ab);
  const why =
    history.decided !== null
      ? `the online A/B has decided (${history.decided}): ${plan.arm} only`
      : `A/B allocation chose ${plan.arm} (Thompson sampling)`;
  return singleArm(ab, plan.arm, why);
};
