import type { MetricSpec } from "../../config/index.js";
import type { LanguageModel } from "../../providers/index.js";
import type { CallLedger } from "../call-ledger.js";
import type { Fields } from "../example.js";
import { judgeScore } from "./llm-judge.js";
import { contains, exactMatch, jsonFieldMatch, jsonValid, tokenF1 } from "./text-metrics.js";

/** A metric: scores a prediction 0..1 and says what counts as a pass (for bootstrapping and Wilson intervals). */
export interface Metric {
  /** The metric's name as written (`exact_match`, `composite`, ...). */
  name: string;
  /** binary metrics only ever score 0 or 1. */
  kind: "binary" | "continuous";
  /** A score at or above this is a pass. */
  passThreshold: number;
  score(expected: Fields, predicted: Fields, inputs: Fields): Promise<number>;
}

/** What `llm_judge` needs at run time; without it a judge metric cannot be created. */
export interface MetricDeps {
  lm?: LanguageModel;
  ledger?: CallLedger;
  /** Judge model when the spec names none. */
  defaultModel?: string;
}

/** Thrown for a metric spec that cannot be built (a judge without a model port). */
export class MetricSpecError extends Error {
  override readonly name = "MetricSpecError";
  readonly code = "METRIC_SPEC";
}

type Spec = Exclude<MetricSpec, string>;
type TextFn = (expected: string, predicted: string) => number;

const joined = (f: Fields) => Object.values(f).join("\n");

/** 1 only when the comparison passes on every expected field (pass/fail metrics over several fields). */
function allFields(fn: TextFn): (expected: Fields, predicted: Fields) => number {
  return (expected, predicted) => {
    const names = Object.keys(expected);
    if (names.length === 0) return 0;
    return names.every((n) => fn(expected[n]!, predicted[n] ?? "") === 1) ? 1 : 0;
  };
}

/** Mean of a per-field text comparison over the expected fields. */
function perField(fn: TextFn): (expected: Fields, predicted: Fields) => number {
  return (expected, predicted) => {
    const names = Object.keys(expected);
    if (names.length === 0) return 0;
    return names.reduce((sum, n) => sum + fn(expected[n]!, predicted[n] ?? ""), 0) / names.length;
  };
}

/**
 * Builds the metric a step asks for (CONTRACTS.md "Metrics"); the default is `token_f1`.
 * @throws MetricSpecError for `llm_judge` without `deps.lm` and `deps.ledger`.
 */
export function createMetric(spec: MetricSpec | undefined, deps: MetricDeps = {}): Metric {
  const s: Spec = typeof spec === "string" ? { type: spec } : (spec ?? { type: "token_f1" });
  const name = s.type;
  const sync = (kind: Metric["kind"], fn: (e: Fields, p: Fields) => number): Metric => ({
    name,
    kind,
    passThreshold: kind === "binary" ? 1 : 0.5,
    score: async (e, p) => fn(e, p),
  });
  switch (s.type) {
    case "exact_match":
      return sync("binary", allFields(exactMatch));
    case "contains":
      return sync("binary", allFields(contains));
    case "token_f1":
      return sync("continuous", perField(tokenF1));
    case "json_field_match":
      return sync("continuous", (e, p) => jsonFieldMatch(joined(e), joined(p), s.fields));
    case "json_valid":
      return sync("binary", (e, p) => jsonValid(Object.keys(Object.keys(e).length > 0 ? e : p), p));
    case "regex": {
      const pattern = new RegExp(s.pattern ?? "");
      return sync("binary", (_e, p) => (pattern.test(joined(p)) ? 1 : 0));
    }
    case "llm_judge": {
      const { lm, ledger } = deps;
      if (!lm || !ledger)
        throw new MetricSpecError("metric llm_judge needs a language model for its judge");
      const options = {
        rubric:
          s.rubric ?? "Is the candidate answer correct and complete compared with the reference?",
        model: s.model ?? deps.defaultModel ?? "sim-1",
        lm,
        ledger,
      };
      return {
        name,
        kind: "continuous",
        passThreshold: s.pass_threshold ?? 0.7,
        score: (e, p, i) => judgeScore(options, joined(i), joined(e), joined(p)),
      };
    }
    case "composite": {
      const parts = (s.metrics ?? []).map((m) => ({
        weight: m.weight ?? 1,
        metric: createMetric({ ...m, metrics: undefined } as MetricSpec, deps),
      }));
      const total = parts.reduce((sum, p) => sum + p.weight, 0);
      const allBinary = parts.length === 1 && parts[0]!.metric.kind === "binary";
      return {
        name,
        kind: allBinary ? "binary" : "continuous",
        passThreshold: allBinary ? 1 : 0.7,
        async score(e, p, i) {
          if (total === 0) return 0;
          let sum = 0;
          for (const part of parts) sum += part.weight * (await part.metric.score(e, p, i));
          return sum / total;
        },
      };
    }
  }
}
