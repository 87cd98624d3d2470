import { seededRandom } from "../stats/index.js";

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

/** A seedable PRNG (mulberry32, from the stats layer), so runs repeat exactly from a seed. */
export const createSeededRandom: (seed: number) => () => number = seededRandom;

export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };

/** A context for production runs: wall clock, seeded RNG, the given logger. */
export function createRunContext(
  options: { seed?: number; logger?: Logger; now?: () => number } = {},
): RunContext {
  return {
    now: options.now ?? Date.now,
    random: createSeededRandom(options.seed ?? 0),
    logger: options.logger ?? silentLogger,
  };
}
