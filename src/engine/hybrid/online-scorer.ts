import type { MetricSpec } from "../../config/index.js";
import {
  CallLedger,
  createMetric,
  type Fields,
  type Metric,
  type Signature,
} from "../../optimize/index.js";
import type { LanguageModel } from "../../providers/index.js";
import type { OnlineEvidence, ScorePair } from "../../report/index.js";
import type { HybridSettings } from "./hybrid-settings.js";
import { createPairwiseJudge, type PairwiseJudge } from "./pairwise-judge.js";

/** Metrics that score an output without an expected answer, so they can score live A/B results. */
const LABEL_FREE = new Set(["json_valid", "regex", "llm_judge"]);

type MetricObject = Exclude<MetricSpec, string>;

function isLabelFree(spec: MetricSpec | undefined): boolean {
  if (spec === undefined) return false;
  const s: MetricObject = typeof spec === "string" ? { type: spec } : spec;
  if (s.type === "composite")
    return (
      (s.metrics ?? []).length > 0 && (s.metrics ?? []).every((m) => isLabelFree(m as MetricSpec))
    );
  return LABEL_FREE.has(s.type);
}

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
 * How the online A/B of a step is scored: pair by pair by the `online_judge` (a pairwise preference), or
 * by the step's own metric when it needs no label; otherwise a canary, which pays for no pairs.
 */
export type OnlineScorer =
  | {
      kind: "judge" | "metric";
      detail: string;
      /** The pair's scores (winner 1, loser 0, tie ½ for the judge), or null when it is no evidence. */
      scorePair(
        inputs: Fields,
        traditional: ArmAnswer,
        optimized: ArmAnswer,
      ): Promise<ScorePair | null>;
      /** A single arm's score (metric only; a pairwise judge cannot score one answer). */
      scoreSingle?(inputs: Fields, outputs: ArmAnswer): Promise<number>;
    }
  | { kind: "canary"; detail: string };

export type ScorerKind = OnlineEvidence["scorer"];

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

function metricScorer(metric: Metric): OnlineScorer {
  const score = async (inputs: Fields, outputs: ArmAnswer) =>
    outputs ? metric.score({}, outputs, inputs) : 0;
  return {
    kind: "metric",
    detail: metric.name,
    async scorePair(inputs, traditional, optimized) {
      return {
        traditional: await score(inputs, traditional),
        optimized: await score(inputs, optimized),
      };
    },
    scoreSingle: score,
  };
}

/** The scorer of a step's online A/B (see {@link OnlineScorer}); the judge's calls go out as `judge`. */
export function onlineScorer(
  step: { name: string; metric?: unknown },
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
  const spec = step.metric as MetricSpec | undefined;
  if (isLabelFree(spec))
    return metricScorer(
      createMetric(spec, { lm: deps.lm, ledger: new CallLedger(), defaultModel: deps.model }),
    );
  return {
    kind: "canary",
    detail: `canary: ${Math.round(settings.canaryShare * 100)}% of inputs on the optimized program, watched for failures and validity`,
  };
}
