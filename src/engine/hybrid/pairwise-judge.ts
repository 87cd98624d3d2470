import type { Fields, Signature } from "../../optimize/index.js";
import type { LanguageModel } from "../../providers/index.js";
import type { Arm } from "./ab-history.js";

/** The judge's verdict on one pair, by arm; `unparsed`: its answer was not the structured preference asked for. */
export type Preference = Arm | "tie" | "unparsed";

export interface PairwiseJudge {
  /** Which answer better does what the step asks for this input (no reference); one `judge` LM call. */
  compare(inputs: Fields, traditional: Fields, optimized: Fields): Promise<Preference>;
}

const SYSTEM = `You compare two answers to the same task and input. No reference answer exists: judge which answer better does what the task asks for this input, following the rubric. Either answer may come first. Reply with JSON only: {"preference": "A" | "B" | "tie", "reason": "<one sentence>"}.`;

const fieldText = (fields: Fields): string => {
  const entries = Object.entries(fields);
  if (entries.length === 1) return entries[0]![1];
  return entries.map(([name, value]) => `${name}: ${value}`).join("\n");
};

function taskText(signature: Signature): string {
  const outputs = signature.outputs.map((f) => {
    const allowed = f.options ? ` — one of: ${f.options.join(", ")}` : "";
    return `- ${f.name}${f.description ? `: ${f.description}` : ""}${allowed}`;
  });
  return `${signature.instructions}\nOutputs:\n${outputs.join("\n")}`;
}

/** Reads `{"preference": "A" | "B" | "tie"}` from the judge's text (the first JSON object in it). */
export function parsePreference(text: string): "A" | "B" | "tie" | null {
  const match = /\{[\s\S]*\}/.exec(text);
  if (!match) return null;
  try {
    const value = (JSON.parse(match[0]) as { preference?: unknown }).preference;
    if (typeof value !== "string") return null;
    const normal = value.trim().toLowerCase();
    return normal === "a" ? "A" : normal === "b" ? "B" : normal === "tie" ? "tie" : null;
  } catch {
    return null;
  }
}

/**
 * The online A/B's judge (`hybrid_config.online_judge`): a pairwise preference without a reference,
 * asked as structured output. The answers' order is drawn from the run's seeded `random` for each
 * pair, so a judge's position bias cannot favour one arm. Calls go out with purpose `judge`.
 */
export function createPairwiseJudge(deps: {
  lm: LanguageModel;
  model: string;
  rubric: string;
  signature: Signature;
  random: () => number;
  step: string;
}): PairwiseJudge {
  return {
    async compare(inputs, traditional, optimized) {
      const optimizedFirst = deps.random() < 0.5;
      const [a, b] = optimizedFirst ? [optimized, traditional] : [traditional, optimized];
      const content = [
        `[[ ## rubric ## ]]\n${deps.rubric}`,
        `[[ ## task ## ]]\n${taskText(deps.signature)}`,
        `[[ ## input ## ]]\n${fieldText(inputs)}`,
        `[[ ## answer_a ## ]]\n${fieldText(a)}`,
        `[[ ## answer_b ## ]]\n${fieldText(b)}`,
      ].join("\n\n");
      const response = await deps.lm.complete({
        model: deps.model,
        system: SYSTEM,
        messages: [{ role: "user", content }],
        maxTokens: 200,
        temperature: 0,
        purpose: "judge",
        step: deps.step,
      });
      const preference = parsePreference(response.text);
      if (preference === null) return "unparsed";
      if (preference === "tie") return "tie";
      return (preference === "A") === optimizedFirst ? "optimized" : "traditional";
    },
  };
}
