/** The conventional exit status of a process ended by a signal: 128 + its number. */
const EXIT_CODE = { SIGINT: 130, SIGTERM: 143 } as const;

type StopSignal = keyof typeof EXIT_CODE;

/** How long a stopped run may take to end on its own after its report is out, before exiting. */
const EXIT_GRACE_MS = 250;

/** SIGINT/SIGTERM handling of one `run`: see {@link stopOnSignal}. */
export interface SignalStop {
  /** Aborts (reason: the signal's name) on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The signal received, if any. */
  received(): StopSignal | undefined;
  /** The exit code to use: 130 (SIGINT) or 143 (SIGTERM) once stopped, else `code`. */
  exitCode(code: number): number;
  /**
   * Removes the handlers. After a stop, the process then exits with {@link exitCode} once the
   * event loop drains, or after a short grace if abandoned work (a hung call) still holds it.
   */
  dispose(): void;
}

/**
 * Installs SIGINT/SIGTERM handlers for the length of a run. The first signal aborts `signal` so the
 * engine stops, releases its locks and returns a partial report; a second one exits at once.
 */
export function stopOnSignal(): SignalStop {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  const handlers = (Object.keys(EXIT_CODE) as StopSignal[]).map((name) => {
    const handler = () => {
      if (received !== undefined) process.exit(EXIT_CODE[received]);
      received = name;
      controller.abort(name);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    received: () => received,
    exitCode: (code) => (received === undefined ? code : EXIT_CODE[received]),
    dispose() {
      for (const [name, handler] of handlers) process.off(name, handler);
      if (received === undefined) return;
      const code = EXIT_CODE[received];
      process.exitCode = code;
      setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
    },
  };
}
