import { createHash } from "node:crypto";
import { seededRandom } from "../stats/index.js";
import type { Example } from "./example.js";

/** Split settings (`dspy_config`), defaults filled. */
export interface SplitSettings {
  /** Share of examples held out as the test split. @default 0.4 */
  testFraction: number;
  /** Share of examples the optimizer selects on (validation). @default 0.2 */
  validationFraction: number;
  /** A test split smaller than this is replaced by k-fold cross-fitting. @default 20 */
  minTestExamples: number;
  /** k of the cross-fitting. @default 5 */
  folds: number;
  /** Below this many labelled examples there is no verdict (`needs_more_data`). @default 10 */
  minLabelled: number;
  /** Runs of each held-out example per arm. @default 1 */
  repeats: number;
  /** Temperature of the held-out runs (repeats measure flakiness only above 0). @default 0 */
  temperature: number;
}

/** The `dspy_config` keys the split settings come from. */
export interface SplitConfig {
  test_fraction?: number;
  validation_fraction?: number;
  min_test_examples?: number;
  cross_fit_folds?: number;
  min_labelled_examples?: number;
  evaluation_repeats?: number;
  evaluation_temperature?: number;
}

/** Fills the split settings' defaults once (`??`, so an explicit 0 wins). */
export function splitSettings(config: SplitConfig | undefined): SplitSettings {
  return {
    testFraction: config?.test_fraction ?? 0.4,
    validationFraction: config?.validation_fraction ?? 0.2,
    minTestExamples: config?.min_test_examples ?? 20,
    folds: config?.cross_fit_folds ?? 5,
    minLabelled: config?.min_labelled_examples ?? 10,
    repeats: config?.evaluation_repeats ?? 1,
    temperature: config?.evaluation_temperature ?? 0,
  };
}

/** Examples the optimizer uses: demos and traces come from `trainset`, choices are made on `valset`. */
export interface TrainVal {
  trainset: Example[];
  valset: Example[];
}

/** A fold of cross-fitting: compile on `train`, score `heldout`. */
export interface Fold {
  train: TrainVal;
  heldout: Example[];
}

/**
 * How a step's labelled examples are used: a train/validation/test split; k-fold cross-fitting when the
 * test split would be too small; or too few examples for any verdict. `ship` is what the program
 * that runs is compiled on (never the test split; all the data when cross-fitting).
 */
export type EvidencePlan =
  | { kind: "test"; ship: TrainVal; test: Example[] }
  | { kind: "cross_fit"; ship: TrainVal; folds: Fold[] }
  | { kind: "needs_more_data"; ship: TrainVal };

/** A uniform number in [0, 1) from the SHA-256 of `salt` and the example's key. */
function unit(key: string, salt: string): number {
  return createHash("sha256").update(`${salt}\0${key}`).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * The key an example's split hangs on: its `id`. Training data gives an example without an `id` a
 * content hash as id (training-data.ts), so appending or reordering examples never moves earlier ones.
 */
export function exampleKey(example: Example): string {
  return example.id;
}

/** Train or validation, by a hash of the example (stable per example). */
function trainVal(examples: readonly Example[], settings: SplitSettings): TrainVal {
  const nonTest = 1 - settings.testFraction;
  const share = nonTest <= 0 ? 0 : settings.validationFraction / nonTest;
  const trainset: Example[] = [];
  const valset: Example[] = [];
  for (const e of examples) (unit(exampleKey(e), "validation") < share ? valset : trainset).push(e);
  // An optimizer needs at least one training example; the validation set may be empty (it then selects on train).
  if (trainset.length === 0 && valset.length > 0) trainset.push(valset.pop()!);
  return { trainset, valset };
}

/**
 * Assigns each example to train, validation or test by hashes of its key, never by its position, so
 * adding examples leaves earlier ones where they were. When the test split would hold fewer than
 * `minTestExamples`, plans k-fold cross-fitting instead (fold by another hash of the key: every
 * example is held out exactly once); below `minLabelled` examples, plans no verdict.
 */
export function planEvidence(examples: readonly Example[], settings: SplitSettings): EvidencePlan {
  const ship = trainVal(examples, settings);
  if (examples.length < settings.minLabelled) return { kind: "needs_more_data", ship };
  const test = examples.filter((e) => unit(exampleKey(e), "test") < settings.testFraction);
  if (test.length >= settings.minTestExamples) {
    const rest = examples.filter((e) => !test.includes(e));
    return { kind: "test", ship: trainVal(rest, settings), test };
  }
  const k = Math.max(2, Math.min(settings.folds, examples.length));
  const foldOf = (e: Example) => Math.floor(unit(exampleKey(e), "fold") * k);
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const heldout = examples.filter((e) => foldOf(e) === f);
    if (heldout.length === 0) continue;
    folds.push({
      train: trainVal(
        examples.filter((e) => foldOf(e) !== f),
        settings,
      ),
      heldout,
    });
  }
  return { kind: "cross_fit", ship, folds };
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
