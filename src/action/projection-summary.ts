import type { CallProjection, RunProjection } from "../engine/index.js";
import type { ActionCore, LoadedPipeline } from "./action-deps.js";

type Loaded = Extract<LoadedPipeline, { ok: true }>;

const dollars = (usd: number | null): string => (usd === null ? "unpriced" : `$${usd.toFixed(4)}`);

function row(file: string, step: string, what: string, p: CallProjection): string {
  const c = p.calls;
  return `| ${file} | ${step} | ${what} | ${p.total_calls} | ${c.teacher} / ${c.proposal} / ${c.evaluation} / ${c.ab} | ${dollars(p.cost_usd)} |`;
}

/** The job-summary table of the projected compile and evaluation work, and the verdict against `budget-usd`. */
export function projectionMarkdown(
  projections: Array<{ file: string; projection: RunProjection }>,
  budgetUsd: number | null,
): { markdown: string; overBudget: string | null } {
  const rows: string[] = [];
  let calls = 0;
  let cost: number | null = 0;
  for (const { file, projection } of projections) {
    for (const { compile, evaluation } of projection.steps) {
      if (compile.kind !== "projected") continue;
      if (projection.compile)
        rows.push(row(file, compile.step, `compile (${compile.optimizer})`, compile.total));
      if (evaluation) rows.push(row(file, compile.step, "evaluation", evaluation));
    }
    calls += projection.total.total_calls;
    cost =
      cost === null || projection.total.cost_usd === null ? null : cost + projection.total.cost_usd;
  }
  const overBudget =
    budgetUsd !== null && cost !== null && cost > budgetUsd
      ? `The projected compile and evaluation cost (${dollars(cost)}) is above budget-usd ($${budgetUsd.toFixed(2)}): the run will stop sending LM calls when the budget is spent.`
      : null;
  const markdown = [
    `### hybrid-pipeline: projected cost before the run`,
    "",
    `${calls} LM calls, ${dollars(cost)} at the price table's rates with an empty cache (compile and evaluation work; the steps' own calls are not projected; cached programs cost nothing).`,
    "",
    "| file | step | work | LM calls | teacher / proposal / evaluation / A/B | cost |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
    ...(overBudget ? [`> [!WARNING]\n> ${overBudget}`, ""] : []),
  ].join("\n");
  return { markdown, overBudget };
}

/**
 * Before anything is sent: projects each pipeline's compile and evaluation work, writes it to the job
 * summary, and warns when it is above `budget-usd`. Nothing is written when there is nothing to project.
 */
export async function writeProjection(
  pipelines: readonly Loaded[],
  request: { mode: RunProjection["mode"] | null; budgetUsd: number | null; compile: boolean },
  core: ActionCore,
  writeSummary: (markdown: string) => Promise<void>,
): Promise<void> {
  const projections: Array<{ file: string; projection: RunProjection }> = [];
  for (const pipeline of pipelines)
    if (pipeline.project)
      projections.push({
        file: pipeline.file,
        projection: await pipeline.project(request.mode, request.compile),
      });
  if (projections.every((p) => p.projection.total.total_calls === 0)) return;
  const { markdown, overBudget } = projectionMarkdown(projections, request.budgetUsd);
  await writeSummary(markdown);
  if (overBudget) core.warning(overBudget);
}
