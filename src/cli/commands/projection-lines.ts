import type { RunProjection } from "../../engine/index.js";
import type { CallProjection, CompileProjection, ProgramMeta } from "../../optimize/index.js";

const dollars = (usd: number | null): string =>
  usd === null ? "unpriced (model not in the price table)" : `$${usd.toFixed(4)}`;

/** One projection as `N LM calls (teacher a, proposal b, evaluation c) · tokens · $`. */
export function projectionSummary(p: CallProjection): string {
  const c = p.calls;
  const upTo = p.max_calls > p.total_calls ? `, up to ${p.max_calls}` : "";
  return `${p.total_calls} LM calls${upTo} (teacher ${c.teacher}, proposal ${c.proposal}, evaluation ${c.evaluation}${c.ab ? `, A/B ${c.ab}` : ""}) · ~${p.input_tokens} in / ~${p.output_tokens} out tokens · ${dollars(p.cost_usd)}`;
}

/** The dry-run lines of one step. */
export function projectionLines(p: CompileProjection): string[] {
  if (p.kind === "not_compiled") return [`${p.step}: would not compile (${p.detail}): 0 LM calls`];
  return [
    `${p.step}: ${p.optimizer} on ${p.model}, trainset ${p.n_train}, validation ${p.n_dev}: ${projectionSummary(p.total)}`,
    `  of which the optimizer: ${projectionSummary(p.optimizer_calls)}`,
  ];
}

/**
 * The lines `optimize` prints after a search: trials, the best validation score and, when the budget
 * could not cover the minimum search, that the program is not a searched one.
 */
export function searchLines(meta: ProgramMeta): string[] {
  const search = meta.search;
  if (!search) return [];
  const instructions = new Set(search.trials.map((t) => t.instruction ?? 0)).size;
  const demoSets = new Set(search.trials.map((t) => t.demo_set ?? 0)).size;
  const full = search.trials.filter((t) => t.kind !== "minibatch").length;
  const lines = [
    `  search: ${search.trials.length} trials (${full} on the whole validation split; ${instructions} instruction(s) × ${demoSets} demo set(s) tried), best on validation ${search.best_score === null ? "none" : search.best_score.toFixed(3)}`,
  ];
  if (search.under_budget)
    lines.push(
      `  under_budget: ${search.reason ?? "the budget did not cover the minimum search"} (minimum ${search.minimum_calls} calls); raise --budget-calls for a real search`,
    );
  return lines;
}

/** The dry-run lines of a run: each step's compile (and evaluation), the total, and a budget verdict. */
export function runProjectionLines(
  workflow: string,
  projection: RunProjection,
  budgetUsd: number | undefined,
): string[] {
  const lines = [
    `run ${workflow} · mode ${projection.mode} · dry run: compile and evaluation work projected with an empty cache, nothing sent (the steps' own calls are not projected)`,
  ];
  if (projection.steps.length === 0)
    lines.push(
      projection.mode === "traditional"
        ? "traditional mode: nothing to compile or evaluate"
        : "no step with a signature: nothing to compile",
    );
  if (!projection.compile && projection.steps.length > 0)
    lines.push(
      "--no-compile: the compiles below are not counted (programs come only from the cache)",
    );
  for (const step of projection.steps) {
    lines.push(...projectionLines(step.compile));
    if (step.evaluation)
      lines.push(`  evaluation (both arms on dev): ${projectionSummary(step.evaluation)}`);
  }
  lines.push(`total: ${projectionSummary(projection.total)}`);
  const cost = projection.total.cost_usd;
  if (budgetUsd !== undefined && cost !== null && cost > budgetUsd)
    lines.push(
      `over budget: the projection ($${cost.toFixed(4)}) is above --budget-usd $${budgetUsd.toFixed(2)}; the run would stop when the budget is spent`,
    );
  return lines;
}
