import type { CompiledProgram } from "../../optimize/index.js";
import { summarizePairs } from "../../stats/index.js";
import type { HeldoutComparison } from "./route-step.js";

/** The held-out comparison of a compiled program (paired t over its held-out pairs), as routing reads it. */
export function heldoutComparison(meta: CompiledProgram["meta"]): HeldoutComparison {
  const { heldout } = meta;
  if (heldout.split === "none" || heldout.pairs.length === 0)
    return {
      kind: "needs_more_data",
      n: heldout.n_labelled,
      floor: heldout.min_labelled,
      metric: meta.metric,
    };
  const summary = summarizePairs(heldout.pairs, { seed: 0 });
  return {
    kind: "measured",
    delta: summary.delta,
    ci95: summary.ci95,
    n: summary.n,
    split: heldout.split,
    folds: heldout.folds,
    metric: meta.metric,
  };
}
