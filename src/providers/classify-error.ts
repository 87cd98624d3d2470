import { ProviderError, type ProviderErrorCode, type ProviderName } from "./language-model.js";
import { redact } from "../report/index.js";

/** What an adapter could read off a failed call, independent of the SDK that made it. */
export interface FailureFacts {
  /** HTTP status of the last attempt; absent for connection failures and timeouts. */
  status?: number;
  /** The provider's error type or code from the body (`overloaded_error`, `insufficient_quota`, ...). */
  errorType?: string;
  /** The attempt ran out of time (SDK timeout). */
  timedOut?: boolean;
  /** The provider's own words, shown to the user after scrubbing secrets. */
  detail: string;
}

/**
 * Classifies a failure. Separate from the retry decision (the SDKs make that; see each adapter):
 * this only names what happened so callers can branch on `code`.
 */
export function classifyFailure(facts: FailureFacts): ProviderErrorCode {
  const { status, errorType } = facts;
  if (facts.timedOut || status === 408) return "timeout";
  // Set by answerCheckingFetch on a 200 that held no answer or no JSON.
  if (errorType === "empty_response" || errorType === "malformed_response") return errorType;
  // Gemini answers a bad key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID.
  if (status === 401 || status === 403 || errorType === "API_KEY_INVALID") return "auth";
  if (errorType === "insufficient_quota") return "quota_exhausted";
  if (status === 429) return "rate_limited";
  if (status === 529 || errorType === "overloaded_error") return "overloaded";
  if (status !== undefined && status >= 400 && status < 500) return "bad_request";
  return "server";
}

const WHAT: Record<ProviderErrorCode, string> = {
  auth: "the API key was rejected",
  rate_limited: "rate limited after retries",
  quota_exhausted: "quota or credit exhausted (not retried)",
  overloaded: "the service is overloaded after retries",
  server: "server or connection error after retries",
  timeout: "the request timed out",
  bad_request: "the request was refused",
  empty_response: "the provider answered with no text after retries",
  malformed_response: "the provider's answer was not valid JSON after retries",
  budget_exhausted: "the budget is spent",
  replay_miss: "no recorded response",
  not_configured: "the provider is not configured",
};

const MAX_DETAIL = 300;

/**
 * Builds the {@link ProviderError} the user sees: provider, what happened, status and the
 * provider's message with every secret scrubbed. `keyEnv` names the variable to check on `auth`.
 */
export function toProviderError(
  provider: ProviderName,
  facts: FailureFacts,
  options: { secrets?: readonly (string | undefined)[]; keyEnv?: string } = {},
): ProviderError {
  const code = classifyFailure(facts);
  const status = facts.status === undefined ? "" : ` (HTTP ${facts.status})`;
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === "string");
  const detail = redact(facts.detail, secrets).slice(0, MAX_DETAIL);
  const hint = code === "auth" && options.keyEnv ? ` Check ${options.keyEnv}.` : "";
  return new ProviderError(
    code,
    `${provider}: ${WHAT[code]}${status}: ${detail}${hint}`,
    provider,
    facts.status,
  );
}
