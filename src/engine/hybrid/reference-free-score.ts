import type { MetricSpec } from "../../config/index.js";
import {
  createMetric,
  type CallLedger,
  type Fields,
  type Metric,
  type Signature,
} from "../../optimize/index.js";
import type { LanguageModel } from "../../providers/index.js";

/** Metrics that score an output without an expected answer, so they can judge live A/B results. */
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

/** Scores a live output 0..1 without a reference; `name` says how, for the report. */
export interface ReferenceFreeScorer {
  name: string;
  score(outputs: Fields | undefined, inputs: Fields): Promise<number>;
}

/**
 * Validity against the signature, for steps whose metric needs a label: the share of output fields
 * that are non-empty and, for `literal` fields, one of the allowed options. A parse failure scores 0.
 */
function signatureValidity(signature: Signature): ReferenceFreeScorer {
  return {
    name: "signature validity",
    score: async (outputs) => {
      if (!outputs) return 0;
      const valid = signature.outputs.filter((f) => {
        const value = (outputs[f.name] ?? "").trim();
        if (value === "") return false;
        return !f.options || f.options.some((o) => o.toLowerCase() === value.toLowerCase());
      });
      return valid.length / signature.outputs.length;
    },
  };
}

/**
 * The scorer that picks the kept result of an online A/B: the step's own metric when it needs no label
 * (JSON validity, regex, an LLM judge given no reference, or a composite of those), else validity
 * against the signature. Success, cost and latency break ties (see {@link preferredArm}).
 */
export function referenceFreeScorer(
  spec: MetricSpec | undefined,
  signature: Signature,
  deps: { lm: LanguageModel; ledger: CallLedger; model: string },
): ReferenceFreeScorer {
  if (!isLabelFree(spec)) return signatureValidity(signature);
  const metric: Metric = createMetric(spec, {
    lm: deps.lm,
    ledger: deps.ledger,
    defaultModel: deps.model,
  });
  return {
    name: metric.name,
    score: async (outputs, inputs) => (outputs ? metric.score({}, outputs, inputs) : 0),
  };
}

/** One arm's live result as the A/B compares it. */
export interface ArmOutcome {
  ok: boolean;
  score: number;
  costUsd: number | null;
  latencyMs: number;
}

/** The arm whose result is kept: higher score, then success, then lower cost, then lower latency; traditional on a full tie. */
export function preferredArm(
  traditional: ArmOutcome,
  optimized: ArmOutcome,
): "traditional" | "optimized" {
  if (optimized.score !== traditional.score)
    return optimized.score > traditional.score ? "optimized" : "traditional";
  if (optimized.ok !== traditional.ok) return optimized.ok ? "optimized" : "traditional";
  const cost = (c: number | null) => c ?? Number.POSITIVE_INFINITY;
  if (cost(optimized.costUsd) !== cost(traditional.costUsd))
    return cost(optimized.costUsd) < cost(traditional.costUsd) ? "optimized" : "traditional";
  return optimized.latencyMs < traditional.latencyMs ? "optimized" : "traditional";
}
