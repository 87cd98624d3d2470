import { CallLedger, predict, type CompiledProgram, type Fields } from "../../optimize/index.js";
import { ProviderError, type LanguageModel } from "../../providers/index.js";
import type { FallbackReason } from "../../report/index.js";
import type { RawStep } from "../exec-context.js";
import { llmResult } from "../step-executors/index.js";

/** What one run of the compiled program gave: the step's result map, or why the traditional step must run instead. */
export type OptimizedRun =
  | {
      ok: true;
      outputs: Fields;
      result: Record<string, unknown>;
      latencyMs: number;
      costUsd: number | null;
    }
  | {
      ok: false;
      reason: FallbackReason;
      code: string;
      detail: string;
      latencyMs: number;
      costUsd: number | null;
    };

/**
 * Provider faults the traditional prompt may still get past (a cassette without the optimized request,
 * a prompt too long with demos, a transient fault that outlived the SDK's retries). Auth, quota and
 * budget faults would stop the traditional step too, so they propagate.
 */
const RECOVERABLE = new Set([
  "rate_limited",
  "overloaded",
  "server",
  "timeout",
  "bad_request",
  "empty_response",
  "malformed_response",
  "replay_miss",
]);

class OptimizedTimeout extends Error {}

/** The step's result map from the program's output fields, shaped like a traditional answer (`text`/`content` and each field). */
function resultOf(
  step: RawStep,
  outputs: Fields,
  model: string,
  costUsd: number | null,
): Record<string, unknown> {
  const names = Object.keys(outputs);
  const text = names.length === 1 ? outputs[names[0]!]! : JSON.stringify(outputs);
  const result = llmResult(step.type, {
    text,
    usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
    latencyMs: 0,
    model,
    costUsd,
  });
  return { ...result, ...outputs, optimized: true };
}

/**
 * Runs the compiled program on the step's run-time inputs within `timeoutMs`. A timeout, a parse
 * failure (after predict's JSON retry) or a recoverable provider fault is a fallback outcome; any other
 * error propagates.
 */
export async function runOptimizedArm(options: {
  step: RawStep;
  program: CompiledProgram;
  inputs: Fields;
  lm: LanguageModel;
  model: string;
  maxTokens: number;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<OptimizedRun> {
  const { step, program, inputs, timeoutMs } = options;
  const ledger = new CallLedger();
  const controller = new AbortController();
  const signal = options.signal
    ? AbortSignal.any([options.signal, controller.signal])
    : controller.signal;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new OptimizedTimeout());
    }, timeoutMs);
  });
  const spent = () => ({ latencyMs: 0, costUsd: ledger.usage.cost_usd });
  try {
    const prediction = await Promise.race([
      predict(program.program, inputs, options.lm, ledger, {
        model: options.model,
        maxTokens: options.maxTokens,
        kind: "step",
        step: step.name,
        timeoutMs,
        signal,
      }),
      timeout,
    ]);
    if (prediction.kind === "parse_failed") {
      return {
        ok: false,
        reason: "optimization_failed",
        code: "parse_failed",
        detail: `the compiled program's answer did not parse into its output fields (${program.program.signature.outputs.map((f) => f.name).join(", ")})`,
        latencyMs: prediction.latencyMs,
        costUsd: prediction.costUsd,
      };
    }
    const result = resultOf(step, prediction.outputs, options.model, prediction.costUsd);
    return {
      ok: true,
      outputs: prediction.outputs,
      result,
      latencyMs: prediction.latencyMs,
      costUsd: prediction.costUsd,
    };
  } catch (error) {
    if (error instanceof OptimizedTimeout)
      return {
        ok: false,
        reason: "timeout",
        code: "timeout",
        detail: `the compiled program gave no answer within ${timeoutMs} ms (hybrid_config.optimized_timeout_ms)`,
        latencyMs: timeoutMs,
        costUsd: ledger.usage.cost_usd,
      };
    if (error instanceof ProviderError && RECOVERABLE.has(error.code)) {
      return {
        ok: false,
        reason: error.code === "timeout" ? "timeout" : "optimization_failed",
        code: error.code,
        detail: `the compiled program's call failed: ${error.message}`,
        ...spent(),
      };
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
