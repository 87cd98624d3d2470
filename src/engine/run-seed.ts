import { createHash } from "node:crypto";
import type { SeedSource } from "../report/index.js";

/** The seed of a run's online allocation (and of its A/B statistics), with where it came from. */
export interface RunSeed {
  value: number;
  source: SeedSource;
}

/** Seeds are unsigned 32-bit integers (mulberry32's state). */
const MAX_SEED = 0xffffffff;

/**
 * Chooses a run's seed: `--seed N` when given; else, in CI, a hash of the run id and attempt (so two
 * runs draw differently and a re-run of an attempt repeats it); else a fresh random draw. Compiling
 * never uses it (`optimizer_options.seed` keeps programs and their cache keys stable).
 */
export function resolveRunSeed(options: {
  flag?: number;
  runId?: string;
  runAttempt?: string;
  draw: () => number;
}): RunSeed {
  if (options.flag !== undefined) return { value: options.flag >>> 0, source: "option" };
  if (options.runId) {
    const digest = createHash("sha256")
      .update(`${options.runId}:${options.runAttempt ?? "1"}`)
      .digest();
    return { value: digest.readUInt32BE(0), source: "run_id" };
  }
  return { value: Math.floor(options.draw() * (MAX_SEED + 1)) >>> 0, source: "random" };
}
