import { formatProblem, type Problem } from "../config/index.js";
import type { RunReport, StepReport } from "../report/index.js";
import type { ActionCore, LoadedPipeline, PipelineRunner, RunRequest } from "./action-deps.js";
import { annotateProblems } from "./annotations.js";

type Loaded = Extract<LoadedPipeline, { ok: true }>;

export type ValidationOutcome =
  { kind: "valid"; pipelines: Loaded[] } | { kind: "invalid"; problems: Problem[] };

/**
 * Loads every file before anything runs; each problem becomes an annotation at its file and line.
 * One invalid file makes the whole set invalid, so nothing runs half.
 */
export async function validatePipelines(
  runner: PipelineRunner,
  files: readonly string[],
  core: ActionCore,
  workspace: string,
): Promise<ValidationOutcome> {
  const loaded = await Promise.all(files.map((file) => runner.load(file)));
  const problems = loaded.flatMap((l) => (l.ok ? [] : l.problems));
  annotateProblems(
    loaded.flatMap((l) => l.warnings),
    core,
    workspace,
  );
  annotateProblems(problems, core, workspace);
  if (problems.length > 0) return { kind: "invalid", problems };
  return { kind: "valid", pipelines: loaded.filter((l): l is Loaded => l.ok) };
}

function formatCost(usd: number | null): string {
  return usd === null ? "unpriced" : `$${usd.toFixed(4)}`;
}

/** The log line of one step: route, latency, tokens, cost. */
export function stepLine(step: StepReport): string {
  const m = step.metrics;
  const fallback = step.fallback ? ` (fallback: ${step.fallback.reason})` : "";
  const quality = m.quality === null ? "" : ` · quality ${m.quality.toFixed(3)}`;
  return `${step.name} [${step.type}] ${step.status} · route ${step.route}${fallback} · ${Math.round(m.latency_ms)} ms · ${m.input_tokens}+${m.output_tokens} tokens · ${formatCost(m.cost_usd)}${quality}`;
}

/** Runs the pipelines one after another, one log group per workflow with a line per step. */
export async function runPipelines(
  pipelines: readonly Loaded[],
  request: Omit<RunRequest, "onLog" | "onStepStarted">,
  core: ActionCore,
  uptimeMs: () => number,
  cpuMs?: () => number,
): Promise<RunReport[]> {
  const reports: RunReport[] = [];
  let started = false;
  let spentUsd = 0;
  const onStepStarted = (name: string): void => {
    // The cold-start figure: process start to the first step starting (docs/PERFORMANCE.md).
    const cpu = cpuMs ? ` (${Math.round(cpuMs())} ms CPU)` : "";
    if (!started)
      core.info(
        `first step (${name}) starting ${Math.round(uptimeMs())} ms after process start${cpu}`,
      );
    started = true;
  };
  for (const pipeline of pipelines) {
    core.startGroup(`hybrid-pipeline · ${pipeline.file}`);
    try {
      // budget-usd limits the whole step: each file gets what the earlier ones left.
      const budgetUsd =
        request.budgetUsd === null ? null : Math.max(0, request.budgetUsd - spentUsd);
      const report = await pipeline.run({
        ...request,
        budgetUsd,
        onLog: (line) => core.info(line),
        onStepStarted,
      });
      spentUsd += report.budget.spent_usd;
      core.info(
        `${report.workflow} · mode ${report.mode} (${report.mode_source}) · provider ${report.provider}${report.simulated ? " (simulated)" : ""} · ${report.status}`,
      );
      for (const step of report.steps) core.info(stepLine(step));
      core.info(
        `LM calls: step ${report.lm_calls.step}, optimize ${report.lm_calls.optimize}, evaluate ${report.lm_calls.evaluate}, judge ${report.lm_calls.judge}`,
      );
      reports.push(report);
    } finally {
      core.endGroup();
    }
  }
  return reports;
}

/** The job summary of an invalid set: one line per problem, in `path:line:col` form. */
export function problemsSummary(problems: readonly Problem[]): string {
  const lines = problems.map((p) => `- \`${formatProblem(p).replace(/`/g, "'")}\``);
  return [
    `### hybrid-pipeline: ${problems.length} problem(s) in the pipeline files — nothing was run`,
    "",
    ...lines,
    "",
  ].join("\n");
}
