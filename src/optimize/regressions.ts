import { MAX_REGRESSIONS, redact } from "../report/index.js";
import type { Example, Fields } from "./example.js";

/**
 * One held-out example where the optimized variant failed and the traditional one passed (each arm's
 * score against the metric's pass mark). Answers are redacted and cut to {@link ANSWER_CHARS}.
 */
export interface HeldoutRegression {
  id: string;
  /** A short excerpt of the inputs, when the example has no id of its own (its id is a content hash). */
  input?: string;
  traditional: { answer: string; score: number };
  optimized: { answer: string; score: number };
}

/** Characters of each answer kept. */
export const ANSWER_CHARS = 300;
/** Characters of the input excerpt of an example without an id. */
export const INPUT_CHARS = 120;

/** Cuts text to at most `max` characters (by code point), marking the cut with "…". */
export function cutText(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** The id training-data.ts gives a record without one: `sha256:` and 16 hex digits of its content. */
const isContentId = (id: string): boolean => /^sha256:[0-9a-f]{16}$/.test(id);

/** An arm's answer as a reader compares it: one output's text, several as `name: value` lines. */
export function answerText(outputs: Fields): string {
  const entries = Object.entries(outputs);
  if (entries.length === 1) return entries[0]![1];
  return entries.map(([name, value]) => `${name}: ${value}`).join("\n");
}

/** What one arm produced on an example, as {@link regressionOf} reads it. */
export interface ArmAnswer {
  score: number;
  /** The answer text (parsed outputs, the unreadable raw text, or the provider error). */
  answer: string;
}

/**
 * The regression of one example, if its pair is one: the traditional mean score passes and the
 * optimized one does not. With repeats, the answers shown are a passing traditional run's and a
 * failing optimized run's. Redacted (credential shapes and `secrets`) before being cut, so no part
 * of a secret survives the cut.
 */
export function regressionOf(
  example: Example,
  scores: { traditional: number; optimized: number },
  runs: { traditional: ArmAnswer[]; optimized: ArmAnswer[] },
  pass: number,
  secrets: readonly string[] = [],
): HeldoutRegression | undefined {
  if (!(scores.traditional >= pass && scores.optimized < pass)) return undefined;
  const shown = (text: string, max: number) => cutText(redact(text, secrets), max);
  const pick = (arm: ArmAnswer[], passed: boolean) =>
    arm.find((r) => r.score >= pass === passed) ?? arm[0]!;
  return {
    id: example.id,
    ...(isContentId(example.id)
      ? { input: shown(answerText(example.inputs).replace(/\s+/g, " ").trim(), INPUT_CHARS) }
      : {}),
    traditional: {
      answer: shown(pick(runs.traditional, true).answer, ANSWER_CHARS),
      score: scores.traditional,
    },
    optimized: {
      answer: shown(pick(runs.optimized, false).answer, ANSWER_CHARS),
      score: scores.optimized,
    },
  };
}

/**
 * At most {@link MAX_REGRESSIONS}, the largest drops (traditional − optimized) first, ties in the
 * order given; so keeping the top of each fold and again of their union equals the top of all.
 */
export function keepRegressions(regressions: readonly HeldoutRegression[]): HeldoutRegression[] {
  const drop = (r: HeldoutRegression) => r.traditional.score - r.optimized.score;
  return regressions
    .map((r, i) => ({ r, i }))
    .sort((a, b) => drop(b.r) - drop(a.r) || a.i - b.i)
    .slice(0, MAX_REGRESSIONS)
    .map(({ r }) => r);
}
