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
  const score = Math.round(10 * tokenF1(words(reference), words(candidate)));
  return JSON.stringify({
    score,
    reason: `[simulated] token overlap with the reference: ${score}/10`,
  });
}

function tokenF1(gold: string[], pred: string[]): number {
  if (gold.length === 0 || pred.length === 0) return gold.length === pred.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of gold) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of pred) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / pred.length;
  const recall = same / gold.length;
  return (2 * precision * recall) / (precision + recall);
}
