import { listedOptions, words } from "./chat-format.js";
import type { LmRequest } from "./language-model.js";

const SECTION = /\[\[ ## (\w+) ## \]\]\n?([\s\S]*?)(?=\n?\[\[ ## \w+ ## \]\]|$)/g;

function sections(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of text.matchAll(SECTION)) found.set(match[1]!, match[2]!.trim());
  return found;
}

/**
 * A pairwise judge request: a system prompt that asks for a `preference`, and a final user message with
 * `[[ ## answer_a ## ]]` and `[[ ## answer_b ## ]]` sections (the online A/B's judge prompt).
 */
export function isPairwiseJudgeRequest(request: LmRequest): boolean {
  const last = request.messages.at(-1)?.content ?? "";
  return (
    /\bpreference\b/.test(request.system ?? "") &&
    last.includes("[[ ## answer_a ## ]]") &&
    last.includes("[[ ## answer_b ## ]]")
  );
}

interface Reading {
  valid: boolean;
  grounding: number;
}

/**
 * How one answer reads to the sim judge: valid when it is non-empty and, if the task lists allowed
 * answers, one of them; grounding is the share of its distinct words that occur in the input or the
 * rubric (the only knowledge the judge is given: it never sees an expected answer).
 */
function read(answer: string, known: Set<string>, options: string[] | undefined): Reading {
  const said = [...new Set(words(answer))];
  const allowed = options?.map((o) => o.toLowerCase());
  const valid = said.length > 0 && (!allowed || allowed.includes(answer.trim().toLowerCase()));
  const grounded = said.filter((w) => known.has(w)).length;
  return { valid, grounding: said.length === 0 ? 0 : grounded / said.length };
}

/**
 * The sim provider's pairwise preference (docs/sim-provider.md, "Pairwise judge"): a stated rule that
 * reads both answers. A valid answer beats an invalid one; between two valid answers, the one whose
 * words are better grounded in the input and the rubric wins by more than 0.05; otherwise a tie. It is
 * symmetric, so the order the answers come in never changes the verdict. Answers as JSON.
 */
export function simPairwisePreference(request: LmRequest): string {
  const parts = sections(request.messages.at(-1)?.content ?? "");
  const known = new Set(words(`${parts.get("input") ?? ""}\n${parts.get("rubric") ?? ""}`));
  const options = listedOptions(parts.get("task") ?? "");
  const a = read(parts.get("answer_a") ?? "", known, options);
  const b = read(parts.get("answer_b") ?? "", known, options);
  const verdict = (preference: "A" | "B" | "tie", reason: string) =>
    JSON.stringify({ preference, reason: `[simulated] ${reason}` });
  if (a.valid !== b.valid)
    return verdict(a.valid ? "A" : "B", "only one answer is a valid answer to the task");
  if (!a.valid) return verdict("tie", "neither answer is a valid answer to the task");
  if (Math.abs(a.grounding - b.grounding) > 0.05)
    return verdict(
      a.grounding > b.grounding ? "A" : "B",
      "its words are better grounded in the input and the rubric",
    );
  return verdict("tie", "both answers are equally grounded in the input and the rubric");
}
