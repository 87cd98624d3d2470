/** Why an LM call was made; `lm_calls` in the report counts calls actually sent, per purpose. */
export type LmPurpose = "step" | "optimize" | "evaluate" | "judge";

export interface LmMessage {
  role: "user" | "assistant";
  content: string;
}

/** One completion request, provider-neutral. */
export interface LmRequest {
  /** Resolved model id (aliases such as `sonnet` are resolved before this point). */
  model: string;
  system?: string;
  messages: LmMessage[];
  /** Upper bound on generated tokens. */
  maxTokens: number;
  /** @default 0 */
  temperature?: number;
  /** What the call is for; used for accounting only, never sent to the provider. @default "step" */
  purpose?: LmPurpose;
  /** Step (or other caller) label for error messages and cassettes; never sent, not part of the cache key. */
  step?: string;
  /**
   * Per-attempt timeout in milliseconds (each of the SDK's retries gets this long); never sent, not
   * part of the cache key. @default the adapter's `timeoutMs` (60000)
   */
  timeoutMs?: number;
  /**
   * A distinct rollout: bypasses the LM-call cache and reaches the provider, so that rollouts of the
   * same prompt are separate samples (DSPy's `rollout_id`). The `sim` provider varies its answer with
   * it; see docs/sim-provider.md. @default undefined (an ordinary, cacheable call)
   */
  rolloutId?: string;
}

export interface LmUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's prompt cache. */
  cachedInputTokens: number;
  /** Input tokens written to the provider's prompt cache (billed at the cache-write rate); 0 when not reported. */
  cacheWriteInputTokens?: number;
}

export interface LmResponse {
  text: string;
  usage: LmUsage;
  /** Wall time of the call in milliseconds (simulated under `sim`). */
  latencyMs: number;
  /** Model id the provider reports having used. */
  model: string;
  /** USD from the dated price table; null when the model is not in it. */
  costUsd: number | null;
  /** True when served by the LM-call cache: nothing was sent and nothing paid. */
  fromCache?: boolean;
  /** Failed attempts of this call that the SDK's retries got past (429, 529, 5xx, timeouts), in order. */
  faults?: ProviderErrorCode[];
  /** On a cache hit, what the original call took and cost: what comparisons of variants (A/B, evaluation) use. */
  uncached?: { latencyMs: number; costUsd: number | null };
}

/** Every provider name, in the order help texts list them (the one list: CLI flags and Action inputs check against it). */
export const providerNames = ["anthropic", "gemini", "openai", "sim", "replay"] as const;

export type ProviderName = (typeof providerNames)[number];

/**
 * The port every provider implements. `complete` resolves with the model's answer or
 * rejects with a {@link ProviderError}; retries of transient faults happen inside (SDK retries).
 */
export interface LanguageModel {
  readonly provider: ProviderName;
  /**
   * Where the calls go when that changes the answers (an SDK adapter's base URL); part of the LM-call
   * cache key, so two OpenAI-compatible servers serving the same model id never share entries.
   * Wrappers pass it on. @default undefined (the provider's own endpoint)
   */
  readonly endpoint?: string;
  /** True for the offline `sim` provider; every report says so. */
  readonly simulated: boolean;
  complete(request: LmRequest, signal?: AbortSignal): Promise<LmResponse>;
}

export type ProviderErrorCode =
  | "auth"
  | "rate_limited"
  | "quota_exhausted"
  | "overloaded"
  | "server"
  | "timeout"
  | "bad_request"
  | "empty_response"
  | "malformed_response"
  | "budget_exhausted"
  | "replay_miss"
  | "not_configured";

/** A provider failure after the SDK's own retries; `code` is what callers branch on. */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly provider: ProviderName,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Failed attempts before the final one (retried in vain), in order. */
  earlierFaults: ProviderErrorCode[] = [];
}
