import type { Fields, Signature } from "../../optimize/index.js";
import type { LanguageModel } from "../../providers/index.js";
import type { ScorePair } from "../../report/index.js";
import type { HybridSettings } from "./hybrid-settings.js";
import { createPairwiseJudge, type PairwiseJudge } from "./pairwise-judge.js";

/**
 * True when every output field is non-empty and each `literal` field holds one of its options. A
 * guardrail only: an arm that answers outside the signature loses its pair, but two valid answers are
 * never called equal on that account.
 */
export function isValidAnswer(signature: Signature, outputs: Fields | undefined): boolean {
  if (!outputs) return false;
  return signature.outputs.every((f) => {
    const value = (outputs[f.name] ?? "").trim();
    if (value === "") return false;
    return !f.options || f.options.some((o) => o.toLowerCase() === value.toLowerCase());
  });
}

/** One arm's live answer: its output fields, or undefined when it failed. */
export type ArmAnswer = Fields | undefined;

/**
 * How the online A/B of a step is scored: pair by pair by the `online_judge` (a pairwise preference);
 * without one, a canary, which pays for no pairs. Online there are no labels, so the step's metric
 * (which needs the expected answer, or only checks form) never scores live answers.
 */
export type OnlineScorer =
  | {
      kind: "judge";
      detail: string;
      /** The pair's scores (winner 1, loser 0, tie ½), or null when it is no evidence. */
      scorePair(
        inputs: Fields,
        traditional: ArmAnswer,
        optimized: ArmAnswer,
      ): Promise<ScorePair | null>;
    }
  | { kind: "canary"; detail: string };

function judgeScorer(judge: PairwiseJudge, signature: Signature, detail: string): OnlineScorer {
  return {
    kind: "judge",
    detail,
    async scorePair(inputs, traditional, optimized) {
      const valid = [isValidAnswer(signature, traditional), isValidAnswer(signature, optimized)];
      // Validity is a guardrail: the invalid arm loses; two invalid answers are no evidence at all.
      if (!valid[0] && !valid[1]) return null;
      if (!valid[0] || !valid[1])
        return { traditional: valid[0] ? 1 : 0, optimized: valid[1] ? 1 : 0 };
      const preference = await judge.compare(inputs, traditional!, optimized!);
      if (preference === "unparsed") return null;
      if (preference === "tie") return { traditional: 0.5, optimized: 0.5 };
      return {
        traditional: preference === "traditional" ? 1 : 0,
        optimized: preference === "optimized" ? 1 : 0,
      };
    },
  };
}

/** The scorer of a step's online A/B (see {@link OnlineScorer}); the judge's calls go out as `judge`. */
export function onlineScorer(
  step: { name: string },
  signature: Signature,
  settings: HybridSettings,
  deps: { lm: LanguageModel; model: string; random: () => number },
): OnlineScorer {
  if (settings.onlineJudge) {
    const model = settings.onlineJudge.model ?? deps.model;
    const judge = createPairwiseJudge({
      lm: deps.lm,
      model,
      rubric: settings.onlineJudge.rubric,
      signature,
      random: deps.random,
      step: step.name,
    });
    return judgeScorer(judge, signature, `pairwise judge ${model}`);
  }
  return {
    kind: "canary",
    detail: `canary: ${Math.round(settings.canaryShare * 100)}% of inputs on the optimized program, watched for failures and validity`,
  };
}
