/** Where log lines go; faces adapt it (stderr in the CLI, core.info in the Action). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/**
 * Everything impure a pure function may need, passed in explicitly so tests can pin it.
 * Never read the clock, RNG or a logger from module-level state.
 */
export interface RunContext {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Uniform in [0, 1), seeded. */
  random(): number;
  logger: Logger;
}

/** mulberry32: a small, fast, seedable PRNG (https://gist.github.com/tommyettinger/46a874533244883189143505d203312c). */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };

/** A context for production runs: wall clock, seeded RNG, the given logger. */
export function createRunContext(options: { seed?: number; logger?: Logger; now?: () => number } = {}): RunContext {
  return {
    now: options.now ?? Date.now,
    random: createSeededRandom(options.seed ?? 0),
    logger: options.logger ?? silentLogger,
  };
}
