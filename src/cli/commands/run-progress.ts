import type { LockWait } from "../../engine/index.js";
import type { RunReport, StepReport } from "../../report/index.js";

const MARKS: Record<StepReport["status"], string> = {
  success: "✓",
  fallback: "✓",
  failed: "✗",
  skipped: "-",
  not_run: "·",
};

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function cost(usd: number | null): string {
  return usd === null ? "$?" : `$${usd.toFixed(4)}`;
}

/**
 * One progress line per finished step, as `run` prints it on stderr:
 * `✓ analyze  traditional  1.2 s  812→240 tok  $0.0031`; a failed step ends with its (redacted) error,
 * a skipped one with why. A step the LM-call cache served whole says `(cached)` after its figures,
 * which are then those of the original calls (nothing was sent or paid this run).
 */
export function progressLine(step: StepReport): string {
  const head = `${MARKS[step.status]} ${step.name}  ${step.route}`;
  if (step.status === "skipped") return `${head}  skipped (${step.decision.reason})`;
  const m = step.metrics;
  const usage = `${seconds(m.latency_ms)}  ${m.input_tokens}→${m.output_tokens} tok  ${cost(m.cost_usd)}${m.cached ? " (cached)" : ""}`;
  return step.status === "failed"
    ? `${head}  ${usage}  failed: ${step.error ?? "unknown error"}`
    : `${head}  ${usage}`;
}

/**
 * Said once when another process holds a compile lock this run needs:
 * `waiting up to 120 s for step analyze: another process holds its compile lock (hybrid-pipeline:v1:lock:1a2b…)`.
 */
export function lockWaitLine(wait: LockWait): string {
  const step = wait.tags.find((t) => t.startsWith("step:"))?.slice("step:".length);
  const what = step === undefined ? `key ${wait.key.slice(0, 12)}` : `step ${step}`;
  return `waiting up to ${seconds(wait.waitMs)} for ${what}: another process holds its compile lock (${wait.lock}); it is computed here if the lock is not freed by then`;
}

/** The one line a run stopped by a signal prints: how far it got and where its partial report went. */
export function stoppedLine(signal: string, report: RunReport, reportFile?: string): string {
  const ran = report.steps.filter((s) => s.status !== "not_run").length;
  const where =
    reportFile === undefined
      ? "no report file (--report-json not given)"
      : `partial report written to ${reportFile}`;
  return `hybrid-pipeline run: stopped by ${signal} after ${ran} of ${report.steps.length} steps; ${where}`;
}
