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

export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Warns once per distinct message, so an unpriced model does not flood the log. */
export function warnOnce(warn: ((message: string) => void) | undefined): (message: string) => void {
  const seen = new Set<string>();
  return (message) => {
    if (seen.has(message)) return;
    seen.add(message);
    warn?.(message);
  };
}
