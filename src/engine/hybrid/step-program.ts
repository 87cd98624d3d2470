import type { TieredCache } from "../../cache/index.js";
import type { MetricSpec, Workflow } from "../../config/index.js";
import {
  compileStep,
  resolveSignature,
  type CompiledProgram,
  type CompileOutcome,
  type CompileStepInput,
  type Signature,
} from "../../optimize/index.js";
import type { LanguageModel } from "../../providers/index.js";
import type { ExecContext, RawStep } from "../exec-context.js";
import { stepAsWritten } from "../execute-step.js";
import { buildLmRequest } from "../llm-request.js";
import type { ProgramProvenance } from "../../report/index.js";
import { cacheProvenance, resolveProgramFile } from "./resolve-program.js";
import { heldoutComparison } from "./heldout-comparison.js";
import { describeHeldout, type ProgramEvidence } from "./route-step.js";

/** A step's optimized program as routing sees it: the evidence, and the program itself when there is one. */
export interface StepProgram {
  signature: Signature;
  model: string;
  maxTokens: number;
  evidence: ProgramEvidence;
  compiled?: CompiledProgram;
  /** Where the program came from, for the decision's reason (`compiled now: 88 LM calls`, `from the disk cache`). */
  source: string;
  /** Where the program came from and whether it is stale, for the step's report. */
  provenance?: ProgramProvenance;
}

/**
 * The step as compiling sees it: its signature and metric, its prompt as written, and
 * `defaults.claude_options` under its own (as the traditional step sends them), so a run and
 * anything that looks its program up later (`ReadyRun.writePrograms`) use the same cache key.
 */
export function compileInputOf(step: RawStep, workflow: Workflow): CompileStepInput {
  const asWritten = stepAsWritten(step);
  return {
    name: step.name,
    ...(step.signature ? { signature: step.signature as never } : {}),
    ...(step.metric ? { metric: step.metric as MetricSpec } : {}),
    ...(asWritten.prompt !== undefined ? { prompt: asWritten.prompt } : {}),
    claude_options: {
      ...(workflow.defaults?.claude_options ?? {}),
      ...((asWritten.claude_options as object | undefined) ?? {}),
    },
  };
}

/** What compiling needs beyond the step: the optimization cache and an LM whose calls count as `optimize`, not as the step's. */
export interface ProgramDeps {
  cache: TieredCache | null;
  lm: LanguageModel;
  now: () => number;
  /** false: only cached programs; compiling is not allowed this run. */
  allowCompile: boolean;
  /** Values redacted from the model answers the compiled program keeps. @default [] */
  secrets?: readonly string[];
}

function describeSource(outcome: Extract<CompileOutcome, { kind: "compiled" }>): string {
  const evidence = describeHeldout(heldoutComparison(outcome.program.meta));
  if (outcome.tier === "computed")
    return `program compiled now (${outcome.usage.total_calls} LM calls; evidence: ${evidence})`;
  return `program from the ${outcome.tier} cache (evidence: ${evidence})`;
}

/**
 * Loads or compiles a step's program (through the tiered cache) and turns the outcome into routing
 * evidence: the held-out comparison, or the fallback reason. Undefined when the step has no signature.
 */
export async function loadStepProgram(
  step: RawStep,
  ctx: ExecContext,
  deps: ProgramDeps,
): Promise<StepProgram | undefined> {
  const signature = resolveSignature(step as { name: string; signature?: never }, ctx.workflow);
  if (!signature) return undefined;
  const request = buildLmRequest(step, "", ctx);
  const base = { signature, model: request.model, maxTokens: request.maxTokens };
  // Resolution order: a committed program file, then the cache, then compiling.
  const file = await resolveProgramFile(step, ctx, request.model);
  if (file.kind === "use") {
    const { compiled, evidence, provenance, source } = file;
    return {
      ...base,
      signature: compiled.program.signature,
      compiled,
      evidence,
      provenance,
      source,
    };
  }
  if (file.kind === "fallback")
    return { ...base, evidence: file.evidence, provenance: file.provenance, source: "no program" };
  const outcome = await compileStep({
    step: compileInputOf(step, ctx.workflow),
    workflow: ctx.workflow,
    workdir: ctx.workdir,
    lm: deps.lm,
    model: request.model,
    cache: deps.cache,
    now: deps.now,
    concurrency: ctx.concurrency,
    allowCompile: deps.allowCompile,
    ...(deps.secrets ? { secrets: deps.secrets } : {}),
  });
  if (outcome.kind === "unavailable") {
    return {
      ...base,
      evidence: { kind: "unavailable", reason: outcome.reason, detail: outcome.detail },
      source: "no program",
    };
  }
  return {
    ...base,
    evidence: { kind: "compiled", heldout: heldoutComparison(outcome.program.meta) },
    compiled: outcome.program,
    source: [file.note, describeSource(outcome)].filter(Boolean).join("; "),
    provenance: cacheProvenance(outcome, request.model),
  };
}
