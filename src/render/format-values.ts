import type { Recommendation, RunReport, StepReport } from "../report/index.js";

const MINUS = "\u2212";

export function formatScore(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? "–" : value.toFixed(2);
}

export function formatSigned(value: number): string {
  const fixed = Math.abs(value).toFixed(2);
  return value < 0 && fixed !== "0.00" ? `${MINUS}${fixed}` : `+${fixed}`;
}

export function formatInterval([low, high]: [number, number]): string {
  return `[${formatSigned(low)}, ${formatSigned(high)}]`;
}

export function formatP(p: number | null): string {
  if (p === null) return "–";
  if (p < 0.001) return "<0.001";
  return p.toFixed(3);
}

export function formatLatency(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatCost(usd: number | null): string {
  if (usd === null) return "n/a";
  if (usd === 0) return "$0";
  if (usd < 0.0001) return "<$0.0001";
  return usd < 1 ? `$${Number(usd.toPrecision(2))}` : `$${usd.toFixed(2)}`;
}

export function formatPercent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

const RECOMMENDATION_LABELS: Record<Recommendation, string> = {
  use_optimized: "use optimized",
  use_traditional: "use traditional",
  keep_testing: "keep testing (hybrid)",
  needs_more_data: "needs more data",
  add_examples: "add examples",
};

export function recommendationLabel(recommendation: Recommendation): string {
  return RECOMMENDATION_LABELS[recommendation];
}

const SHORT_DETAIL = 40;

/** The gist of a fallback's detail for a table cell: up to its first " for step" or " (", at most 40 characters. */
function shortDetail(detail: string): string {
  const gist = detail.split(/ for step | \(/)[0]!.trim();
  return [...gist].length <= SHORT_DETAIL
    ? gist
    : `${[...gist].slice(0, SHORT_DETAIL - 1).join("")}…`;
}

/**
 * How the step ran, short enough for a table cell, e.g. "traditional (fallback: dspy_unavailable — no
 * training data)"; the whole detail is in the decision.
 */
export function routeLabel(step: StepReport, mode?: RunReport["mode"]): string {
  // Evaluation mode scores both variants on held-out data while the step itself runs its own prompt.
  const route =
    step.route === "ab"
      ? mode === "evaluation"
        ? "traditional (both evaluated)"
        : "A/B"
      : step.route;
  if (step.fallback)
    return `${route} (fallback: ${step.fallback.reason} — ${shortDetail(step.fallback.detail)})`;
  if (step.status === "failed") return `${route} (failed)`;
  if (step.status === "not_run") return "not run";
  return route;
}

/** The step's recommendation: its A/B block's, `add_examples` when it has no training data, else none. */
export function stepRecommendationKey(step: StepReport): Recommendation | null {
  if (step.ab) return step.ab.recommendation;
  if (step.fallback?.reason === "dspy_unavailable") return "add_examples";
  return null;
}

/** The step's recommendation as a label, "–" when it has none. */
export function stepRecommendation(step: StepReport): string {
  const key = stepRecommendationKey(step);
  return key ? recommendationLabel(key) : "–";
}

export function cacheLine(report: RunReport): string {
  const { hits, misses, degraded } = report.cache;
  const total = hits.memory + hits.disk + hits.distributed;
  const parts = (["memory", "disk", "distributed"] as const)
    .filter((t) => hits[t] > 0)
    .map((t) => `${t} ${hits[t]}`);
  const degradedText = degraded.length
    ? ` · degraded: ${degraded.map((d) => `${d.tier} (${d.reason})`).join(", ")}`
    : "";
  return `cache: ${total} hits${parts.length ? ` (${parts.join(", ")})` : ""}, ${misses} misses${degradedText}`;
}

export function callsLine(report: RunReport): string {
  const { step, optimize, evaluate, judge } = report.lm_calls;
  const budget =
    report.budget.limit_usd === null ? "" : ` of ${formatCost(report.budget.limit_usd)}`;
  return `LM calls: step ${step}, optimize ${optimize}, evaluate ${evaluate}, judge ${judge} · spend ${formatCost(report.budget.spent_usd)}${budget}`;
}

/**
 * What an open verdict needs, short enough for a cell: "add ≥ 2 examples" below the floor, "add ≈ 165
 * examples" for 80% power at the observed effect, "effect too small to chase"; null when decided.
 */
export function nextStep(step: StepReport): string | null {
  const needed = step.ab?.heldout?.needed;
  const verdict = step.ab?.heldout?.verdict;
  if (!needed || (verdict !== "inconclusive" && verdict !== "needs_more_data")) return null;
  if (needed.basis === "floor") return `add ≥ ${needed.add_labelled_examples ?? 0} examples`;
  if (needed.pairs === null || needed.too_small) return "effect too small to chase";
  return `add ≈ ${(needed.add_labelled_examples ?? 0).toLocaleString("en-US")} examples`;
}
