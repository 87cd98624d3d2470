import type { Route, StepPerformance } from "../../report/index.js";
import { mean, percentile } from "../../stats/index.js";

/** One execution of an LLM step (a loop runs a step many times), as the monitor records it. */
export interface StepExecution {
  step: string;
  route: Route;
  success: boolean;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  quality: number | null;
}

/**
 * The design's metrics collector: every LLM-step execution of the run, summarised per step and route
 * (latency p50/p95, tokens, cost, quality, success rate) for the report's `performance` block.
 */
export class PerformanceMonitor {
  readonly #executions = new Map<string, StepExecution[]>();

  record(execution: StepExecution): void {
    const key = `${execution.step}\u0000${execution.route}`;
    const list = this.#executions.get(key);
    if (list) list.push(execution);
    else this.#executions.set(key, [execution]);
  }

  summary(): StepPerformance[] {
    return [...this.#executions.values()].map((runs) => {
      const latencies = runs.map((r) => r.latencyMs);
      const scored = runs.flatMap((r) => (r.quality === null ? [] : [r.quality]));
      const costs = runs.map((r) => r.costUsd);
      return {
        step: runs[0]!.step,
        route: runs[0]!.route,
        n: runs.length,
        success_rate: runs.filter((r) => r.success).length / runs.length,
        latency_p50_ms: Math.round(percentile(latencies, 0.5)),
        latency_p95_ms: Math.round(percentile(latencies, 0.95)),
        input_tokens: runs.reduce((s, r) => s + r.inputTokens, 0),
        output_tokens: runs.reduce((s, r) => s + r.outputTokens, 0),
        cost_usd: costs.some((c) => c === null)
          ? null
          : (costs as number[]).reduce((a, b) => a + b, 0),
        quality: scored.length === 0 ? null : mean(scored),
      };
    });
  }
}
