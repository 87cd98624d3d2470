import type { StepReport } from "../../report/index.js";

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
 * a skipped one with why.
 */
export function progressLine(step: StepReport): string {
  const head = `${MARKS[step.status]} ${step.name}  ${step.route}`;
  if (step.status === "skipped") return `${head}  skipped (${step.decision.reason})`;
  const m = step.metrics;
  const usage = `${seconds(m.latency_ms)}  ${m.input_tokens}→${m.output_tokens} tok  ${cost(m.cost_usd)}`;
  return step.status === "failed"
    ? `${head}  ${usage}  failed: ${step.error ?? "unknown error"}`
    : `${head}  ${usage}`;
}
