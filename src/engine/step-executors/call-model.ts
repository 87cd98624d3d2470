import { ProviderError, type LmRequest, type LmResponse } from "../../providers/index.js";
import { redact } from "../../report/index.js";
import { StepFailure, type ExecContext, type RawStep, type StepOf } from "../exec-context.js";

type RetryConfig = NonNullable<StepOf<"claude_robust">["retry_config"]>;

/** Provider faults worth another attempt when a `claude_robust` step names none. */
const TRANSIENT = new Set([
  "rate_limited",
  "overloaded",
  "server",
  "timeout",
  "empty_response",
  "malformed_response",
]);

/** pipeline_ex's retry condition names mapped to provider error codes. */
const CONDITION_CODES: Record<string, readonly string[]> = {
  timeout: ["timeout"],
  api_error: ["server", "overloaded", "bad_request", "empty_response", "malformed_response"],
  rate_limit: ["rate_limited"],
  rate_limited: ["rate_limited"],
  overloaded: ["overloaded"],
  server_error: ["server"],
  network_error: ["server", "timeout"],
  temporary_error: [
    "server",
    "overloaded",
    "timeout",
    "rate_limited",
    "empty_response",
    "malformed_response",
  ],
};

/** `retry_config` as data: how many extra attempts, how the delay grows, which faults qualify. */
export interface RetryPolicy {
  maxRetries: number;
  backoff: "linear" | "exponential";
  retryOn: ReadonlySet<string>;
  /** @default 1000 ms, the first delay. */
  baseDelayMs: number;
}

/** Reads a step's `retry_config` (claude_robust). @default 3 retries, exponential, transient faults. */
export function retryPolicyOf(config: RetryConfig | undefined): RetryPolicy {
  const names = config?.retry_conditions ?? config?.retry_on ?? [];
  const codes =
    names.length === 0 ? TRANSIENT : new Set(names.flatMap((n) => CONDITION_CODES[n] ?? [n]));
  return {
    maxRetries: config?.max_retries ?? 3,
    backoff: config?.backoff_strategy === "linear" ? "linear" : "exponential",
    retryOn: codes,
    baseDelayMs: 1000,
  };
}

/** Delay before retry `attempt` (1-based): linear n·base, exponential base·2^(n−1). */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  return policy.backoff === "linear"
    ? policy.baseDelayMs * attempt
    : policy.baseDelayMs * 2 ** (attempt - 1);
}

function toFailure(step: RawStep, error: unknown): StepFailure {
  if (error instanceof StepFailure) return error;
  if (error instanceof ProviderError)
    return new StepFailure(
      redact(`step '${step.name}': ${error.provider} ${error.code}: ${error.message}`),
      error.code,
      { cause: error },
    );
  return new StepFailure(
    redact(`step '${step.name}': ${(error as Error).message ?? String(error)}`),
    "step_failed",
    { cause: error },
  );
}

/**
 * Sends one request for a step. A classified provider fault is retried when `policy` says so (with
 * `ctx.sleep` between attempts); an `overloaded` fault falls back once to `fallbackModel`. Any other
 * failure becomes a {@link StepFailure} with a redacted message.
 */
export function callModel(
  step: RawStep,
  request: LmRequest,
  ctx: ExecContext,
  policy?: RetryPolicy,
  fallbackModel?: string,
): Promise<{ response: LmResponse; attempts: number }> {
  // The first attempt, the only one almost every call makes, runs without an async frame (engine-overhead bench).
  return send(request, ctx).then(
    (response) => ({ response, attempts: 1 }),
    (error: unknown) => recover(step, request, ctx, error, policy, fallbackModel),
  );
}

function send(request: LmRequest, ctx: ExecContext): Promise<LmResponse> {
  try {
    return ctx.lm.complete(request, ctx.signal);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** What follows a failed first attempt: the fallback model, retries per `policy`, or the step's failure. */
async function recover(
  step: RawStep,
  request: LmRequest,
  ctx: ExecContext,
  firstError: unknown,
  policy?: RetryPolicy,
  fallbackModel?: string,
): Promise<{ response: LmResponse; attempts: number }> {
  let attempt = 0;
  let current = request;
  let lastError = firstError;
  for (;;) {
    const error = lastError;
    if (
      error instanceof ProviderError &&
      error.code === "overloaded" &&
      fallbackModel &&
      current.model !== fallbackModel
    ) {
      ctx.warnOnce(
        `fallback_model:${step.name}`,
        `step '${step.name}': ${current.model} is overloaded; retrying with fallback_model ${fallbackModel}`,
      );
      current = { ...current, model: fallbackModel };
    } else {
      const retryable =
        policy &&
        error instanceof ProviderError &&
        policy.retryOn.has(error.code) &&
        attempt < policy.maxRetries;
      if (!retryable) throw toFailure(step, error);
      attempt++;
      ctx.run.logger.warn(
        `step '${step.name}': attempt ${attempt} failed (${error.code}); retrying`,
      );
      await ctx.sleep(retryDelayMs(policy, attempt));
    }
    try {
      return { response: await ctx.lm.complete(current, ctx.signal), attempts: attempt + 1 };
    } catch (next) {
      lastError = next;
    }
  }
}
