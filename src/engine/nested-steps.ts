import type { Route, StepReport } from "../report/index.js";
import { redact } from "../report/index.js";
import type { NestedRecorder, NestedRun, UsageMeter } from "./exec-context.js";
import { servedFromCache } from "./usage-meter.js";

/** `parent/name`, or `name` at the top level. */
export function qualify(scope: string | undefined, name: string): string {
  return scope === undefined ? name : `${scope}/${name}`;
}

function mostFrequent(routes: Route[]): Route {
  const counts = new Map<Route, number>();
  for (const r of routes) counts.set(r, (counts.get(r) ?? 0) + 1);
  let best: Route = routes[0] ?? "traditional";
  for (const [route, n] of counts) if (n > (counts.get(best) ?? 0)) best = route;
  return best;
}

/**
 * One report entry for every execution of one nested step, summed as the performance monitor sums a
 * step's executions: latency, tokens and cost added up (cost null once any run's model is unpriced),
 * quality the mean where one was computed; the route the one most runs took, with how the runs split
 * when they differ; failed when any run failed, `fallback` when any fell back.
 */
export function aggregateNestedRuns(runs: NestedRun[], secrets: readonly string[]): StepReport {
  const first = runs[0]!;
  const routes = runs.map((r) => r.llm?.route ?? "traditional");
  const route = mostFrequent(routes);
  const decided = [...runs].reverse().find((r) => (r.llm?.route ?? "traditional") === route)?.llm;
  const split = [...new Set(routes)].map((r) => `${r} ${routes.filter((x) => x === r).length}`);
  const base = decided?.decision ?? {
    route,
    reason: "runs its own prompt",
    estimated_benefit: null,
  };
  const reason =
    split.length > 1
      ? `${base.reason} (routes over ${runs.length} runs: ${split.join(", ")})`
      : base.reason;
  const failed = runs.find((r) => r.status === "failed");
  const fallback = runs.find((r) => r.llm?.fallback)?.llm?.fallback ?? null;
  const qualities = runs
    .map((r) => r.llm?.quality)
    .filter((q): q is number => typeof q === "number");
  const sum = (f: (m: UsageMeter) => number) => runs.reduce((t, r) => t + f(r.meter), 0);
  const costs = runs.map((r) => r.meter.costUsd);
  return {
    name: first.name,
    type: first.type,
    route,
    decision: { ...base, route, reason },
    status: failed ? "failed" : fallback ? "fallback" : "success",
    fallback,
    error: failed?.error === undefined ? null : redact(failed.error, secrets),
    metrics: {
      latency_ms: Math.round(sum((m) => m.latencyMs)),
      input_tokens: sum((m) => m.inputTokens),
      output_tokens: sum((m) => m.outputTokens),
      cost_usd: costs.some((c) => c === null)
        ? null
        : costs.reduce<number>((t, c) => t + (c ?? 0), 0),
      quality:
        qualities.length === 0 ? null : qualities.reduce((a, b) => a + b, 0) / qualities.length,
      ...(servedFromCache({
        callsSent: sum((m) => m.callsSent),
        callsCached: sum((m) => m.callsCached),
      })
        ? { cached: true }
        : {}),
    },
    runs: runs.length,
  };
}

/** A recorder for one run. */
export function createNestedRecorder(): NestedRecorder {
  const byName = new Map<string, NestedRun[]>();
  return {
    reserve(name) {
      if (!byName.has(name)) byName.set(name, []);
    },
    record(run) {
      const runs = byName.get(run.name) ?? [];
      runs.push(run);
      byName.set(run.name, runs);
    },
    take(parent, secrets) {
      const prefix = `${parent}/`;
      const entries: StepReport[] = [];
      for (const [name, runs] of byName) {
        if (!name.startsWith(prefix)) continue;
        if (runs.length > 0) entries.push(aggregateNestedRuns(runs, secrets));
        byName.delete(name);
      }
      return entries;
    },
  };
}
