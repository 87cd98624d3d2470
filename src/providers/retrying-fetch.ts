import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Retry policy for the Gemini adapter, as data. `@google/genai` 2.32 has `httpOptions.retryOptions`,
 * but its backoff (p-retry) ignores `retry-after` (see `apiCall` in its dist/node/index.mjs), so
 * the adapter turns that off and passes this `fetch` instead.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Per-attempt timeout in milliseconds. */
  timeoutMs: number;
  /** First backoff delay when the server names none; doubles per retry, with up to 25% jitter. @default 500 */
  initialDelayMs?: number;
  /** Longest wait: a server asking for more is not waited for, its answer is returned. @default 60000 */
  maxDelayMs?: number;
  /** @default [408, 429, 500, 502, 503, 504] (the SDK's own list) */
  retryableStatuses?: readonly number[];
}

/** Every attempt ran out of time. */
export class FetchTimeoutError extends Error {
  override readonly name = "FetchTimeoutError";
}

const DEFAULT_STATUSES = [408, 429, 500, 502, 503, 504];

const callTimeout = new AsyncLocalStorage<number>();

/**
 * Runs `call` with a per-attempt timeout of `ms` for every {@link retryingFetch} it reaches (one
 * client serves steps with different timeouts). `undefined` keeps the policy's.
 */
export function withAttemptTimeout<T>(ms: number | undefined, call: () => Promise<T>): Promise<T> {
  return ms === undefined ? call() : callTimeout.run(ms, call);
}

/**
 * A `fetch` that retries transient failures, waiting what the server asks for: `retry-after-ms`,
 * `retry-after` (seconds or HTTP date), or Google's `RetryInfo.retryDelay` in the error body
 * (https://cloud.google.com/apis/design/errors#retry_info). 4xx other than 408/429 are returned at once.
 */
export function retryingFetch(policy: RetryPolicy, inner: typeof fetch = fetch): typeof fetch {
  const statuses = policy.retryableStatuses ?? DEFAULT_STATUSES;
  const initial = policy.initialDelayMs ?? 500;
  const maxDelay = policy.maxDelayMs ?? 60_000;
  return async (input, init) => {
    const caller = init?.signal ?? undefined;
    const timeoutMs = callTimeout.getStore() ?? policy.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
      const last = attempt >= policy.maxRetries;
      let response: Response;
      try {
        response = await inner(input, { ...init, signal });
      } catch (error) {
        if (caller?.aborted) throw error;
        if (last)
          throw timeout.aborted
            ? new FetchTimeoutError(`no response within ${timeoutMs} ms`)
            : error;
        await sleep(backoff(initial, attempt, maxDelay), caller);
        continue;
      }
      if (response.ok || last || !statuses.includes(response.status)) return response;
      const body = await response.text();
      const asked = serverDelayMs(response.headers, body);
      if (asked !== undefined && asked > maxDelay) {
        return new Response(body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      }
      await sleep(asked ?? backoff(initial, attempt, maxDelay), caller);
    }
  };
}

function backoff(initial: number, attempt: number, max: number): number {
  return Math.min(initial * 2 ** attempt, max) * (1 - Math.random() * 0.25);
}

function serverDelayMs(headers: Headers, body: string): number | undefined {
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const header = headers.get("retry-after");
  if (header) {
    const seconds = Number.parseFloat(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  const delay = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(body);
  return delay ? Number.parseFloat(delay[1]!) * 1000 : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
