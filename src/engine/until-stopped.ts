/** What `untilStopped` resolves with when the signal aborts first. */
export const STOPPED: unique symbol = Symbol("stopped");

/**
 * Races `work` against `signal`: resolves with STOPPED as soon as the signal aborts, so a run
 * stops at once even when a step's work does not listen to the signal (a compile in progress).
 * The abandoned work may still settle later; its rejection is swallowed, not left unhandled.
 */
export function untilStopped<T>(
  work: Promise<T>,
  signal?: AbortSignal,
): Promise<T | typeof STOPPED> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.resolve(STOPPED);
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => {});
      resolve(STOPPED);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => (signal.removeEventListener("abort", onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener("abort", onAbort), reject(error)),
    );
  });
}

/** Names why `signal` aborted, for the report's warning: a string reason (`"SIGTERM"`) as is. */
export function stopReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (typeof reason === "string") return reason;
  return reason instanceof Error ? reason.message : "an abort signal";
}
