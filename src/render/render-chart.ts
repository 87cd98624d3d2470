import { stepVerdict, type RunReport } from "../report/index.js";

/** Mermaid labels are quoted strings: keep them to safe characters so model-chosen names cannot break the block. */
function chartLabel(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9 _.()-]/g, "_").slice(0, 34);
  return `"${safe}"`;
}

/**
 * A mermaid bar chart of held-out quality, traditional and optimized as two categories per compared
 * step in ONE bar series, or null when no step was compared. Mermaid's xychart-beta draws several bar
 * series on top of each other (a 0.20 → 0.80 step would show as one 0.80 bar) and has no legend, so
 * the variant is in each category's label instead. Bars start at 0: every quality is in 0..1. Drawn
 * horizontally, so long step names sit one per line instead of running into each other.
 */
export function renderQualityChart(report: RunReport): string | null {
  const compared = report.steps.filter(
    (s) => s.ab && s.ab.n > 0 && stepVerdict(s) !== "needs_more_data",
  );
  if (compared.length === 0) return null;
  const labels = compared.flatMap((s) => [
    chartLabel(`${s.name} (trad)`),
    chartLabel(`${s.name} (opt)`),
  ]);
  const values = compared.flatMap((s) => [s.ab!.traditional.mean, s.ab!.optimized.mean]);
  return [
    "```mermaid",
    "xychart-beta horizontal",
    '  title "Held-out quality per step: traditional (trad) then optimized (opt), one bar each"',
    `  x-axis [${labels.join(", ")}]`,
    '  y-axis "mean quality (0-1)" 0 --> 1',
    `  bar [${values.map((v) => v.toFixed(2)).join(", ")}]`,
    "```",
  ].join("\n");
}
