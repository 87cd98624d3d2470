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

/** Words too common to say anything about relevance. */
const COMMON = new Set(
  "the and for are was were with that this from into its not but any all can has have had mean means meaning answer answers when then than".split(
    " ",
  ),
);

const meaningful = (text: string): Set<string> =>
  new Set(words(text).filter((w) => w.length >= 3 && !COMMON.has(w)));

interface Reading {
  valid: boolean;
  /** Distinct input words found in the answer or in the rubric sentences that mention the answer. */
  support: number;
}

/**
 * How one answer reads to the sim judge: valid when it is non-empty and, if the task lists allowed
 * answers, one of them; its support is the number of distinct input words that occur in the answer
 * itself or in a rubric sentence mentioning one of the answer's words. The rubric and the input are
 * all the judge knows: it never sees an expected answer.
 */
function read(
  answer: string,
  input: Set<string>,
  rubric: string[],
  options: string[] | undefined,
): Reading {
  const said = meaningful(answer);
  const allowed = options?.map((o) => o.toLowerCase());
  const valid = answer.trim() !== "" && (!allowed || allowed.includes(answer.trim().toLowerCase()));
  const backing = new Set(said);
  for (const sentence of rubric) {
    const sentenceWords = meaningful(sentence);
    if ([...said].some((w) => sentenceWords.has(w))) for (const w of sentenceWords) backing.add(w);
  }
  return { valid, support: [...input].filter((w) => backing.has(w)).length };
}

/**
 * The sim provider's pairwise preference (docs/sim-provider.md, "Pairwise judge"): a stated rule that
 * reads both answers. A valid answer beats an invalid one; between two valid answers, the one with more
 * support in the input (see `read`) wins; otherwise a tie. It is symmetric, so the order the answers
 * come in never changes the verdict. Answers as JSON.
 */
export function simPairwisePreference(request: LmRequest): string {
  const parts = sections(request.messages.at(-1)?.content ?? "");
  const input = meaningful(parts.get("input") ?? "");
  const rubric = (parts.get("rubric") ?? "").split(/(?<=[.;!?])\s+|\n+/);
  const options = listedOptions(parts.get("task") ?? "");
  const a = read(parts.get("answer_a") ?? "", input, rubric, options);
  const b = read(parts.get("answer_b") ?? "", input, rubric, options);
  const verdict = (preference: "A" | "B" | "tie", reason: string) =>
    JSON.stringify({ preference, reason: `[simulated] ${reason}` });
  if (a.valid !== b.valid)
    return verdict(a.valid ? "A" : "B", "only one answer is a valid answer to the task");
  if (!a.valid) return verdict("tie", "neither answer is a valid answer to the task");
  if (a.support !== b.support)
    return verdict(
      a.support > b.support ? "A" : "B",
      `it is supported by more of the input (${Math.max(a.support, b.support)} vs ${Math.min(a.support, b.support)} words)`,
    );
  return verdict("tie", `both are supported by ${a.support} words of the input`);
}
