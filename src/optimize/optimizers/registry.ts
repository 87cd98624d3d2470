import type { Optimizer, OptimizerName } from "../optimizer.js";
import { bootstrapFewShot } from "./bootstrap-few-shot.js";
import { copro } from "./instruction-search.js";
import { labeledFewShot } from "./labeled-few-shot.js";
import { miproV2 } from "./mipro-v2.js";
import { bootstrapFewShotRandomSearch } from "./random-search.js";

/** Every optimizer by its `evaluation_mode` name. */
export const optimizers: Record<OptimizerName, Optimizer> = {
  labeled_few_shot: labeledFewShot,
  bootstrap_few_shot: bootstrapFewShot,
  bootstrap_few_shot_random_search: bootstrapFewShotRandomSearch,
  copro,
  mipro: miproV2,
};

/** Type guard for user input (`--optimizer`, `evaluation_mode`). */
export function isOptimizerName(value: string): value is OptimizerName {
  return Object.hasOwn(optimizers, value);
}
