import type { RunReport } from "../report/index.js";

/** Mermaid labels are quoted strings: keep them to safe characters so model-chosen names cannot break the block. */
function chartLabel(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9 _.-]/g, "_").slice(0, 30);
  return `"${safe}"`;
}

/**
 * A mermaid bar chart of quality per step (traditional bar, then optimized bar where both ran),
 * or null when no step was scored. GitHub renders ```mermaid blocks; xychart-beta takes several bar series.
 */
export function renderQualityChart(report: RunReport): string | null {
  const scored = report.steps.filter((s) => s.ab || s.metrics.quality !== null);
  if (scored.length === 0) return null;
  const traditional = scored.map((s) => (s.ab ? s.ab.traditional.mean : (s.metrics.quality ?? 0)));
  const optimized = scored.map((s) => (s.ab ? s.ab.optimized.mean : (s.metrics.quality ?? 0)));
  const series = (values: number[]) => `[${values.map((v) => v.toFixed(2)).join(", ")}]`;
  return [
    "```mermaid",
    "xychart-beta",
    '  title "Quality per step (first bar traditional, second optimized)"',
    `  x-axis [${scored.map((s) => chartLabel(s.name)).join(", ")}]`,
    '  y-axis "quality" 0 --> 1',
    `  bar ${series(traditional)}`,
    `  bar ${series(optimized)}`,
    "```",
  ].join("\n");
}
