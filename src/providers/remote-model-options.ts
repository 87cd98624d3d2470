/** Options every SDK-backed adapter takes. */
export interface RemoteModelOptions {
  apiKey: string;
  /** Overrides the SDK's default endpoint (loopback servers, proxies, OpenAI-compatible servers). */
  baseUrl?: string;
  /** Retries after the first attempt, made by the SDK itself (honouring `retry-after`). @default 2 */
  maxRetries?: number;
  /** Per-attempt timeout in milliseconds. @default 60000 */
  timeoutMs?: number;
  /** Where warnings go (e.g. a model missing from the price table). @default no output */
  warn?: (message: string) => void;
  /** Monotonic clock in milliseconds for latency. @default performance.now */
  now?: () => number;
}

const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_TIMEOUT_MS = 60_000;

/** An adapter's options with the defaults filled in once. */
export interface RemoteModelSettings {
  apiKey: string;
  baseUrl: string | undefined;
  maxRetries: number;
  timeoutMs: number;
  /** De-duplicated: each distinct message is passed on once. */
  warn: (message: string) => void;
  now: () => number;
}

/** Fills the defaults of `options` (the part every SDK-backed adapter shares). */
export function remoteModelSettings(options: RemoteModelOptions): RemoteModelSettings {
  return {
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    warn: warnOnce(options.warn),
    now: options.now ?? (() => performance.now()),
  };
}

/**
 * Defers `connect` (importing a provider SDK and building its client) to the first call and shares
 * its result, so a run on another provider never loads that SDK (the Action's cold start).
 */
export function connectOnFirstCall<T>(connect: () => Promise<T>): () => Promise<T> {
  let connection: Promise<T> | undefined;
  return () => (connection ??= connect());
}

/** Warns once per distinct message, so an unpriced model does not flood the log. */
export function warnOnce(warn: ((message: string) => void) | undefined): (message: string) => void {
  const seen = new Set<string>();
  return (message) => {
    if (seen.has(message)) return;
    seen.add(message);
    warn?.(message);
  };
}
