import { AsyncLocalStorage } from "node:async_hooks";
import { FAULT_HEADER } from "./answer-check-fetch.js";
import { ProviderError, type ProviderErrorCode } from "./language-model.js";

/**
 * The failed HTTP attempts of one `complete` call, seen from inside the SDK (its retries are
 * otherwise invisible): the adapter runs the call in {@link logAttempts}, and the `fetch` it gives the
 * SDK ({@link attemptLoggingFetch}) adds each failed attempt to the log of the call it belongs to.
 */
const currentLog = new AsyncLocalStorage<ProviderErrorCode[]>();

function codeOfStatus(status: number): ProviderErrorCode {
  if (status === 429) return "rate_limited";
  if (status === 529 || status === 503) return "overloaded";
  if (status === 408 || status === 504) return "timeout";
  if (status === 401 || status === 403) return "auth";
  if (status >= 500) return "server";
  return "bad_request";
}

/** A `fetch` that logs every failed attempt (an error status, a timeout, a lost connection) into the running call's log. */
export function attemptLoggingFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    try {
      const response = await inner(input, init);
      if (!response.ok)
        currentLog
          .getStore()
          ?.push(
            (response.headers.get(FAULT_HEADER) as ProviderErrorCode | null) ??
              codeOfStatus(response.status),
          );
      return response;
    } catch (error) {
      const aborted =
        error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
      currentLog.getStore()?.push(aborted ? "timeout" : "server");
      throw error;
    }
  };
}

/**
 * Runs one provider call with a fresh attempt log. On success the response carries the failed attempts
 * its retries got past (`faults`); on failure the {@link ProviderError} carries those before the final one.
 */
export async function logAttempts<T extends object>(
  call: () => Promise<T>,
): Promise<T & { faults?: ProviderErrorCode[] }> {
  const log: ProviderErrorCode[] = [];
  try {
    const value = await currentLog.run(log, call);
    return log.length > 0 ? { ...value, faults: log } : value;
  } catch (error) {
    if (error instanceof ProviderError) error.earlierFaults = log.slice(0, -1);
    throw error;
  }
}
