import { seededRandom } from "../stats/index.js";
import type { Example } from "./example.js";

/** A deterministic train/dev split. */
export interface Split {
  trainset: Example[];
  devset: Example[];
}

/** Fisher–Yates shuffle driven by a seeded PRNG; returns a new array. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Shuffles with `seed`, then puts `devFraction` of the examples (at least one when there are two or
 * more) in the dev set and the rest in the trainset. The same examples and seed give the same split.
 * @param devFraction @default 0.5 — dev carries the A/B statistics, so it gets as much as training.
 */
export function splitTrainDev(
  examples: readonly Example[],
  seed: number,
  devFraction = 0.5,
): Split {
  const shuffled = seededShuffle(examples, seed);
  if (shuffled.length < 2) return { trainset: shuffled, devset: [] };
  const devSize = Math.min(
    shuffled.length - 1,
    Math.max(1, Math.round(shuffled.length * devFraction)),
  );
  return { trainset: shuffled.slice(devSize), devset: shuffled.slice(0, devSize) };
}
