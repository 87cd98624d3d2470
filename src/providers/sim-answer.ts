import {
  inputText,
  listedOptions,
  outputFields,
  renderFields,
  usesMarkers,
  words,
  type OutputField,
} from "./chat-format.js";
import type { LmMessage, LmRequest } from "./language-model.js";
import { isPairwiseJudgeRequest, simPairwisePreference } from "./sim-judge.js";
import { simScoreJudge } from "./sim-score-judge.js";

/** Stop words left out of the salient words (short words, under 4 letters, are left out anyway). */
const STOP = new Set(
  "about above after again also been before being below between both could does doing down during each from further have having here into itself just more most must only other over same should some such than that their them then there these they this those through under until very what when where which while will with would your yours field fields input inputs output outputs following structured interactions appropriate values filled respond corresponding starting ending marker completed adhering structure objective".split(
    " ",
  ),
);

/**
 * The `sim` provider's answer to a request, a pure function of the request and its seed
 * (rules in docs/sim-provider.md): a pairwise judge's preference, a scoring judge's request, instruction proposals, else 1-nearest-neighbour over the
 * demos, else the zero-shot option heuristic, else a "[simulated]" answer of salient words.
 */
export function simAnswer(request: LmRequest, seed: number): string {
  if (isPairwiseJudgeRequest(request)) return simPairwisePreference(request);
  const system = request.system ?? "";
  const lastUser = request.messages.findLastIndex((m) => m.role === "user");
  const finalUser = lastUser >= 0 ? request.messages[lastUser]!.content : "";
  const markers = usesMarkers(system);
  const fields = markers ? outputFields(system, finalUser) : [];
  const salient = salientWords(`${system}\n${inputText(finalUser)}`);

  const judged = simScoreJudge(finalUser);
  if (judged !== undefined) return judged;
  if (isInstructionProposal(system, finalUser, fields)) {
    const proposal = proposeInstruction(salient, seed);
    if (fields.length === 0) return proposal;
    return renderFields(
      fields.map((f) => [f.name, /instruction/i.test(f.name) ? proposal : "Answer:"]),
    );
  }
  const demos = demoPairs(request.messages.slice(0, Math.max(0, lastUser)));
  if (demos.length > 0) {
    const answer = nearestDemo(demos, finalUser).assistant;
    if (!markers || usesMarkers(answer) || fields.length === 0) return answer;
    return renderFields([[fields[0]!.name, answer]]);
  }
  const wantsJson = /\bjson\b/i.test(`${system}\n${finalUser}`);
  const globalOptions = fields.some((f) => f.options)
    ? undefined
    : listedOptions(`${system}\n${finalUser}`);
  const answerFor = (field: OutputField | undefined, index: number): string => {
    const options = field?.options ?? (index === 0 ? globalOptions : undefined);
    if (options) return pickOption(options, inputText(finalUser));
    return wantsJson ? jsonAnswer(salient, seed) : proseAnswer(salient, seed);
  };
  if (fields.length === 0) return answerFor(undefined, 0);
  return renderFields(fields.map((f, i) => [f.name, answerFor(f, i)]));
}

interface Demo {
  user: string;
  assistant: string;
}

function demoPairs(history: LmMessage[]): Demo[] {
  const demos: Demo[] = [];
  for (let i = 0; i + 1 < history.length; i++) {
    const [user, assistant] = [history[i]!, history[i + 1]!];
    if (user.role === "user" && assistant.role === "assistant") {
      demos.push({ user: user.content, assistant: assistant.content });
      i++;
    }
  }
  return demos;
}

/** Token-set Jaccard similarity over the messages' input text; ties keep the earliest demo. */
function nearestDemo(demos: Demo[], finalUser: string): Demo {
  const target = new Set(words(inputText(finalUser)));
  let best = demos[0]!;
  let bestScore = -1;
  for (const demo of demos) {
    const score = jaccard(new Set(words(inputText(demo.user))), target);
    if (score > bestScore) [best, bestScore] = [demo, score];
  }
  return best;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** The option whose words occur most often in the input text; ties keep the first option. */
function pickOption(options: string[], text: string): string {
  const haystack = ` ${words(text).join(" ")} `;
  let best = options[0]!;
  let bestCount = -1;
  for (const option of options) {
    const needle = ` ${words(option).join(" ")} `;
    const count = needle.trim() === "" ? 0 : haystack.split(needle).length - 1;
    if (count > bestCount) [best, bestCount] = [option, count];
  }
  return best;
}

function isInstructionProposal(system: string, finalUser: string, fields: OutputField[]): boolean {
  if (fields.some((f) => /instruction/i.test(f.name))) return true;
  return /\bpropos\w*\b[^.\n]*\binstructions?\b/i.test(`${system}\n${finalUser}`);
}

function salientWords(text: string): string[] {
  const counts = new Map<string, number>();
  for (const w of words(text))
    if (w.length >= 4 && !STOP.has(w) && !/^\d+$/.test(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
  // Map keeps first-occurrence order, and sort is stable: ties stay in order of appearance.
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([w]) => w)
    .slice(0, 6);
}

const pick = <T>(items: readonly T[], n: number): T => items[n % items.length]!;
const FILLER = ["the task", "the request", "the context"];
const w = (salient: string[], i: number): string => salient[i] ?? pick(FILLER, i);

function proseAnswer(salient: string[], seed: number): string {
  const openings = [
    `[simulated] The main points concern ${w(salient, 0)}, ${w(salient, 1)} and ${w(salient, 2)}.`,
    `[simulated] This answer focuses on ${w(salient, 0)}, with attention to ${w(salient, 1)} and ${w(salient, 2)}.`,
    `[simulated] In short: ${w(salient, 0)}, ${w(salient, 1)}, ${w(salient, 2)}.`,
  ];
  return `${pick(openings, seed)} Further considerations: ${w(salient, 3)} and ${w(salient, 4)}. This is a deterministic simulated response; no model was called.`;
}

function jsonAnswer(salient: string[], seed: number): string {
  return JSON.stringify({
    simulated: true,
    summary: proseAnswer(salient, seed),
    keywords: salient,
  });
}

function proposeInstruction(salient: string[], seed: number): string {
  const openings = ["Carefully", "Step by step,", "Concisely,", "Thoroughly,", "Precisely,"];
  const endings = [
    "",
    " Prefer the most specific answer.",
    " Keep the answer short.",
    " Use the vocabulary of the input.",
  ];
  return `${pick(openings, seed)} examine the ${w(salient, 0)} and ${w(salient, 1)} and produce the requested ${w(salient, 2)}.${pick(endings, seed >>> 8)}`;
}
