import { multisetF1 } from "../stats/index.js";
import { words } from "./chat-format.js";

/**
 * sim's rule for a scoring judge (the `llm_judge` metric's request: "Reference answer:" and
 * "Candidate answer:" sections): token F1 between the candidate and the reference words, mapped to
 * 0–10 and answered as `{"score": n, "reason": ...}`. Without a reference it scores 5 (no opinion).
 * A genuine scorer of a simple kind: it reads both texts, never an expected answer from elsewhere.
 */
export function simScoreJudge(finalUser: string): string | undefined {
  const candidate = /Candidate answer:\n([\s\S]*?)\n\nScore \(0-10\)/.exec(finalUser)?.[1];
  if (candidate === undefined) return undefined;
  const reference = /Reference answer:\n([\s\S]*?)\n\nCandidate answer:/.exec(finalUser)?.[1];
  if (reference === undefined)
    return JSON.stringify({ score: 5, reason: "[simulated] no reference to compare with" });
  const score = Math.round(10 * multisetF1(words(reference), words(candidate)));
  return JSON.stringify({
    score,
    reason: `[simulated] token overlap with the reference: ${score}/10`,
  });
}
