import { escapeMarkdownInline, preformattedBlock, truncate } from "./escape-markdown.js";
import {
  formatCost,
  formatInterval,
  formatLatency,
  formatP,
  formatPercent,
  formatScore,
} from "./format-values.js";
import type { AbBlock, OnlineEvidence, RunReport } from "../report/index.js";

/** p of the test behind the CI (q beside it when the FDR adjustment changed it), for the details. */
function pText(ab: AbBlock): string {
  if (ab.p_value === null) return "p –";
  if (ab.source === "online") return `always-valid p ${formatP(ab.p_value)}`;
  const q = ab.heldout?.q_value;
  return q !== null && q !== undefined && q !== ab.p_value
    ? `p ${formatP(ab.p_value)}, q ${formatP(q)}`
    : `p ${formatP(ab.p_value)}`;
}

/** Which scorer decided online, what it counted, and its always-valid statistics (labelled as such). */
function onlineLine(online: OnlineEvidence): string {
  const counted = `${online.distinct_inputs} distinct input(s), ${online.repeats_ignored} repeat(s) ignored`;
  const stats = online.always_valid
    ? ` · always-valid (mSPRT) p ${formatP(online.always_valid.p_value)}, ${Math.round((1 - online.always_valid.alpha) * 100)}% confidence sequence ${formatInterval(online.always_valid.confidence_sequence)}`
    : "";
  return `online scorer: ${online.scorer} (${online.scorer_detail}) · ${counted}${stats}`;
}

/** Untrusted text shown verbatim, cut to `max` characters with a line saying how much was cut. */
function sample(text: string, max: number): string[] {
  const length = [...text].length;
  const block = preformattedBlock(truncate(text, max));
  return length <= max
    ? ["", block]
    : [
        "",
        block,
        `<sub>cut: first ${(max - 1).toLocaleString("en-US")} of ${length.toLocaleString("en-US")} characters shown</sub>`,
      ];
}

/** The performance monitor's table: every execution of each step in this run, per route. */
export function performanceTable(report: RunReport): string[] {
  const rows = report.performance ?? [];
  if (rows.length === 0) return [];
  return [
    [
      "**This run's executions by step and route** (latency and cost of the call that produced each answer, also when the cache served it)",
      "",
      "| step | route | runs | success | latency p50 | latency p95 | tokens in → out | cost | quality |",
      "|---|---|---|---|---|---|---|---|---|",
      ...rows.map(
        (p) =>
          `| ${escapeMarkdownInline(p.step)} | ${p.route === "ab" ? "A/B" : p.route} | ${p.n} | ${formatPercent(p.success_rate)} | ${formatLatency(p.latency_p50_ms)} | ${formatLatency(p.latency_p95_ms)} | ${p.input_tokens} → ${p.output_tokens} | ${formatCost(p.cost_usd)} | ${formatScore(p.quality)} |`,
      ),
    ].join("\n"),
  ];
}

function armLine(ab: AbBlock): string {
  const validity = ab.heldout?.validity;
  const valid = validity
    ? `; readable answers ${formatPercent(validity.traditional)} → ${formatPercent(validity.optimized)}`
    : "";
  return `${pText(ab)}; success ${formatPercent(ab.traditional.success_rate)} → ${formatPercent(ab.optimized.success_rate)}${valid}; wins ${ab.wins}, losses ${ab.losses}, ties ${ab.ties} (${ab.metric})`;
}

/** Per step: why it took its route, its evidence in words, its error and a sample of its output. */
export function stepDetails(report: RunReport, sampleLength: number): string[] {
  return report.steps
    .filter((s) => s.output_preview || s.error || s.decision.reason || s.ab)
    .map((s) => {
      const lines = [
        `**${escapeMarkdownInline(s.name)}** — ${escapeMarkdownInline(s.decision.reason)}`,
      ];
      if (s.ab) lines.push(`recommendation: ${escapeMarkdownInline(s.ab.recommendation_reason)}`);
      if (s.ab && s.ab.n > 0) lines.push(escapeMarkdownInline(armLine(s.ab)));
      if (s.online) lines.push(escapeMarkdownInline(onlineLine(s.online)));
      const held = s.ab?.heldout;
      if (held?.pass_k) {
        const flaky = (held.per_example ?? []).filter((e) => e.flaky).map((e) => e.id);
        lines.push(
          escapeMarkdownInline(
            `${held.repeats} runs per example: pass^${held.repeats} ${formatScore(held.pass_k.traditional)} → ${formatScore(held.pass_k.optimized)}; flaky: ${flaky.length === 0 ? "none" : flaky.join(", ")}`,
          ),
        );
      }
      if (s.error) lines.push(...sample(s.error, sampleLength));
      if (s.output_preview) lines.push(...sample(s.output_preview, sampleLength));
      return lines.join("\n");
    });
}
