import { relative } from "node:path";
import type { MetricSpec } from "../../config/index.js";
import {
  describeChanges,
  readProgramFile,
  type CompiledProgram,
  type CompileOutcome,
  type ProgramFile,
  type ProgramInputPart,
} from "../../optimize/index.js";
import type { ProgramProvenance } from "../../report/index.js";
import type { ExecContext, RawStep } from "../exec-context.js";
import type { ProgramEvidence } from "./route-step.js";
import { heldoutComparison } from "./heldout-comparison.js";

/** What a committed program file decides for a step's program. */
export type FileResolution =
  /** Use this program (committed and current, stale under `use`, or external). */
  | {
      kind: "use";
      compiled: CompiledProgram;
      evidence: ProgramEvidence;
      provenance: ProgramProvenance;
      source: string;
    }
  /** Stale under `fallback`: no program; the step runs its own prompt. */
  | { kind: "fallback"; evidence: ProgramEvidence; provenance: ProgramProvenance }
  /** No usable file (none, unreadable, or stale under `recompile`): the cache, else compile. */
  | { kind: "continue"; note?: string };

/** The model line of a program: `compiled for X, run with Y` when they differ. */
function modelNote(compiledFor: string, runWith: string): string {
  return compiledFor === runWith || compiledFor === "unknown"
    ? ""
    : `; compiled for ${compiledFor}, run with ${runWith}`;
}

function provenanceOf(
  source: ProgramProvenance["source"],
  file: Exclude<ProgramFile, { kind: "none" | "invalid" }>,
  shown: string,
  runWith: string,
  changed: ProgramInputPart[] = [],
): ProgramProvenance {
  const compiledFor = file.compiled.meta.model;
  return {
    source,
    stale: changed.length > 0,
    ...(changed.length > 0 ? { changed } : {}),
    path: shown,
    ...(compiledFor !== "unknown" ? { compiled_for: compiledFor } : {}),
    ...(compiledFor !== "unknown" && compiledFor !== runWith ? { run_with: runWith } : {}),
  };
}

function heldoutEvidence(meta: CompiledProgram["meta"]): ProgramEvidence {
  return { kind: "compiled", heldout: heldoutComparison(meta) };
}

/**
 * The first rung of the resolution order (committed program → cache → compile): reads the step's
 * program file under `.hybrid-pipeline/programs/` and applies `hybrid_config.stale_program` when its
 * inputs changed. An unreadable file is a warning and the run goes on to the cache.
 */
export async function resolveProgramFile(
  step: RawStep,
  ctx: ExecContext,
  runWith: string,
): Promise<FileResolution> {
  const file = await readProgramFile({
    workdir: ctx.workdir,
    workflowFile: ctx.file,
    step: {
      name: step.name,
      ...(step.signature ? { signature: step.signature as never } : {}),
      ...(step.metric ? { metric: step.metric as MetricSpec } : {}),
    },
    workflow: ctx.workflow,
  });
  const shown = relative(ctx.workdir, file.path) || file.path;
  if (file.kind === "none") return { kind: "continue" };
  if (file.kind === "invalid") {
    ctx.warnOnce(
      `program-file:${file.path}`,
      `step '${step.name}': ignoring the program file: ${file.message}`,
    );
    return { kind: "continue" };
  }
  const models = modelNote(file.compiled.meta.model, runWith);
  if (file.kind === "external")
    return {
      kind: "use",
      compiled: file.compiled,
      // A DSPy-saved program carries no held-out evidence of ours: hybrid keeps the own prompt.
      evidence: {
        kind: "compiled",
        heldout: { kind: "needs_more_data", n: 0, floor: 0, metric: "none" },
      },
      provenance: provenanceOf("external", file, shown, runWith),
      source: `external program ${shown} (saved by DSPy, predictor '${file.key}', no measured scores)${models}`,
    };
  if (file.changed.length === 0)
    return {
      kind: "use",
      compiled: file.compiled,
      evidence: heldoutEvidence(file.compiled.meta),
      provenance: provenanceOf("committed", file, shown, runWith),
      source: `committed program ${shown}${models}`,
    };
  const policy = ctx.workflow.hybrid_config?.stale_program ?? "use";
  const what = `the committed program ${shown} is stale (${describeChanges(file.changed)} since it was compiled)`;
  if (policy === "recompile") {
    ctx.warnOnce(`stale:${file.path}`, `step '${step.name}': ${what}; recompiling it`);
    return { kind: "continue", note: `${what}; recompiled` };
  }
  const provenance = provenanceOf("committed", file, shown, runWith, file.changed);
  if (policy === "fallback")
    return {
      kind: "fallback",
      provenance,
      evidence: {
        kind: "unavailable",
        reason: "dspy_unavailable",
        detail: `${what} and hybrid_config.stale_program is fallback`,
      },
    };
  ctx.warnOnce(
    `stale:${file.path}`,
    `step '${step.name}': ${what}; using it anyway (hybrid_config.stale_program: use). Refresh it with \`hybrid-pipeline optimize ${relative(ctx.workdir, ctx.file) || ctx.file} --write\``,
  );
  return {
    kind: "use",
    compiled: file.compiled,
    evidence: heldoutEvidence(file.compiled.meta),
    provenance,
    source: `${what}; used as it is${models}`,
  };
}

/** Provenance of a program the cache served or this run compiled. */
export function cacheProvenance(
  outcome: Extract<CompileOutcome, { kind: "compiled" }>,
  runWith: string,
): ProgramProvenance {
  const compiledFor = outcome.program.meta.model;
  return {
    source: outcome.tier === "computed" ? "compiled" : "cache",
    stale: false,
    compiled_for: compiledFor,
    ...(compiledFor !== runWith ? { run_with: runWith } : {}),
  };
}
