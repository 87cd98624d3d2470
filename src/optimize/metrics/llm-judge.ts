import type { LanguageModel } from "../../providers/index.js";
import type { CallLedger } from "../call-ledger.js";

/** The judge's settings (`metric: {type: llm_judge, ...}`). */
export interface JudgeOptions {
  rubric: string;
  model: string;
  lm: LanguageModel;
  ledger: CallLedger;
}

/**
 * Asks the judge model to score a prediction 0–10 against the rubric and the reference; the first
 * number of the answer, clamped to 0..10, becomes 0..1. An answer without a number scores 0.
 */
export async function judgeScore(
  options: JudgeOptions,
  inputs: string,
  expected: string,
  predicted: string,
): Promise<number> {
  const response = await options.ledger.call(options.lm, "judge", {
    model: options.model,
    system:
      "You are a strict evaluator. Reply with a single integer score from 0 to 10, then one sentence of justification.",
    messages: [
      {
        role: "user",
        content: `Rubric: ${options.rubric}\n\nInput:\n${inputs}\n\nReference answer:\n${expected}\n\nCandidate answer:\n${predicted}\n\nScore (0-10):`,
      },
    ],
    maxTokens: 64,
    temperature: 0,
  });
  const match = /-?\d+(?:\.\d+)?/.exec(response.text);
  if (!match) return 0;
  return Math.min(10, Math.max(0, Number(match[0]))) / 10;
}
