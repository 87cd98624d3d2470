import type { LanguageModel } from "../../providers/index.js";
import type { CallLedger } from "../call-ledger.js";

/** The judge's settings (`metric: {type: llm_judge, ...}`). */
export interface JudgeOptions {
  rubric: string;
  model: string;
  lm: LanguageModel;
  ledger: CallLedger;
}

/** The judge's instruction: a structured (JSON) score, so the reply is read, not guessed at. */
export const JUDGE_SYSTEM =
  'You are a strict evaluator. Reply with a JSON object only: {"score": <integer 0-10>, "reason": "<one sentence>"}.';

/** The score of a judge's reply: `score` of its JSON object, else the first number; clamped to 0..10. */
function readScore(text: string): number | undefined {
  const body = /\{[\s\S]*\}/.exec(text)?.[0];
  if (body !== undefined) {
    try {
      const value = (JSON.parse(body) as { score?: unknown }).score;
      if (typeof value === "number" && Number.isFinite(value)) return value;
    } catch {
      // Not JSON: fall through to the first number.
    }
  }
  const match = /-?\d+(?:\.\d+)?/.exec(text);
  return match ? Number(match[0]) : undefined;
}

/**
 * Asks the judge model for a structured 0–10 score of a prediction against the rubric, with the
 * reference answer when there is one (a reference-free judgement otherwise); 0..10 becomes 0..1.
 * An answer without a score scores 0.
 */
export async function judgeScore(
  options: JudgeOptions,
  inputs: string,
  expected: string,
  predicted: string,
): Promise<number> {
  const reference = expected.trim() === "" ? "" : `Reference answer:\n${expected}\n\n`;
  const response = await options.ledger.call(options.lm, "judge", {
    model: options.model,
    system: JUDGE_SYSTEM,
    messages: [
      {
        role: "user",
        content: `Rubric: ${options.rubric}\n\nInput:\n${inputs}\n\n${reference}Candidate answer:\n${predicted}\n\nScore (0-10) as JSON:`,
      },
    ],
    maxTokens: 64,
    temperature: 0,
  });
  const score = readScore(response.text);
  return score === undefined ? 0 : Math.min(10, Math.max(0, score)) / 10;
}
