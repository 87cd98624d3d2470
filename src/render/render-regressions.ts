import type { Regression, StepReport } from "../report/index.js";
import {
  escapeHtmlLine,
  escapeMarkdownInline,
  inlineCode,
  preformattedBlock,
  truncate,
} from "./escape-markdown.js";
import { formatScore } from "./format-values.js";

/** Examples shown per step (the report carries at most this many). */
const MAX_SHOWN = 5;
/** Characters of each answer shown: the report's own cut, applied again to hand-made reports. */
const ANSWER_CHARS = 300;
/** Characters of an input excerpt shown. */
const INPUT_CHARS = 120;

function example(r: Regression, index: number): string[] {
  const input =
    r.input === undefined ? [] : [`input: ${escapeMarkdownInline(truncate(r.input, INPUT_CHARS))}`];
  return [
    `**${index + 1}.** ${inlineCode(r.id)} · traditional ${formatScore(r.traditional.score)} → optimized ${formatScore(r.optimized.score)}`,
    ...(input.length ? ["", ...input] : []),
    "",
    `traditional (${formatScore(r.traditional.score)}):`,
    "",
    preformattedBlock(truncate(r.traditional.answer, ANSWER_CHARS)),
    "",
    `optimized (${formatScore(r.optimized.score)}):`,
    "",
    preformattedBlock(truncate(r.optimized.answer, ANSWER_CHARS)),
  ];
}

/**
 * The step's regressed examples (held-out examples the optimized variant failed and the traditional
 * passed) as one collapsed `<details>` block, lines to join with "\n"; none when the step has none.
 * Model text is untrusted: answers sit in `<pre>` blocks where every `<` is an entity (nothing can
 * close the block or open a tag), ids in code spans, input excerpts escaped inline, the step's name
 * escaped for the `<summary>` line (HTML, where markdown is not parsed).
 */
export function regressionDetails(step: StepReport): string[] {
  const shown = (step.regressions ?? []).slice(0, MAX_SHOWN);
  if (shown.length === 0) return [];
  const count = `${shown.length} regressed example${shown.length === 1 ? "" : "s"}`;
  return [
    `<details><summary>${escapeHtmlLine(step.name)}: ${count} (optimized failed, traditional passed)</summary>`,
    "",
    ...shown.flatMap((r, i) => [...(i > 0 ? [""] : []), ...example(r, i)]),
    "",
    "</details>",
  ];
}
