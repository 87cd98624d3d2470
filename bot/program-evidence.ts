import { buildAbBlock, isRecord, type ScorePair } from "../src/report/index.js";

/** What a program file's metadata says about the program, as the promotion PR needs it. */
export interface ProgramEvidence {
  /** Content hash of what made the program (signature, training data, optimizer). */
  inputsHash: string;
  optimizer: string;
  model: string;
  /** LM calls spent compiling (optimizer and held-out scoring). */
  lmCalls: number;
  /** Held-out pairs scored. */
  n: number;
  traditional: number;
  optimized: number;
  delta: number;
  /** 95% paired-t interval of the held-out Δ. */
  ci95: [number, number];
  /** Cost per call of each arm over the held-out pairs, null when unpriced. */
  cost: { traditional: number | null; optimized: number | null };
  /** False when there was no held-out split (too few labelled examples). */
  measured: boolean;
}

const isPair = (p: unknown): p is ScorePair =>
  isRecord(p) && typeof p.traditional === "number" && typeof p.optimized === "number";

/**
 * Reads the held-out evidence of a program file written by `optimize --write`; undefined for
 * anything else (a DSPy save carries no evidence, so it is never promoted).
 */
export function programEvidence(text: string): ProgramEvidence | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const meta = isRecord(value) ? value.hybrid_pipeline : undefined;
  if (!isRecord(meta) || !isRecord(meta.inputs) || typeof meta.inputs.hash !== "string")
    return undefined;
  const heldout = meta.heldout;
  if (!isRecord(heldout) || !Array.isArray(heldout.pairs) || !heldout.pairs.every(isPair))
    return undefined;
  const pairs = heldout.pairs;
  const block = buildAbBlock({ source: "evaluation", metric: "score", pairs, seed: 0 });
  // Pairs without a price say nothing about cost: n/a, not $0.
  const priced = pairs.some((p) => p.cost_usd !== undefined);
  const perCall = (total: number | null) =>
    total === null || !priced || pairs.length === 0 ? null : total / pairs.length;
  const calls = isRecord(meta.lm_calls) ? meta.lm_calls.total_calls : undefined;
  return {
    inputsHash: meta.inputs.hash,
    optimizer: typeof meta.optimizer === "string" ? meta.optimizer : "unknown",
    model: typeof meta.model === "string" ? meta.model : "unknown",
    lmCalls: typeof calls === "number" ? calls : 0,
    n: block.n,
    traditional: block.traditional.mean,
    optimized: block.optimized.mean,
    delta: block.delta,
    ci95: block.ci95,
    cost: {
      traditional: perCall(block.traditional.cost_usd),
      optimized: perCall(block.optimized.cost_usd),
    },
    measured: heldout.split !== "none" && pairs.length > 0,
  };
}

/**
 * The routing rule of the A/B issue (src/engine/hybrid/route-step.ts): held-out evidence supports a
 * program when the lower bound of its Δ's 95% CI is above the performance threshold.
 */
export function supportsProgram(evidence: ProgramEvidence, threshold: number): boolean {
  return evidence.measured && evidence.ci95[0] > threshold;
}
