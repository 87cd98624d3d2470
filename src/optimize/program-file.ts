import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import type { Workflow } from "../config/index.js";
import { CallLedger } from "./call-ledger.js";
import { DspyStateError, readDspyPredictor } from "./dspy-state.js";
import {
  changedParts,
  programInputs,
  type ProgramInputPart,
  type ProgramInputs,
  type ProgramInputStep,
} from "./program-inputs.js";
import { fromDspyJson, toDspyJson, type CompiledProgram } from "./program-json.js";
import { defaultOptimizerParams } from "./optimizer.js";
import { programPromptMarkdown } from "./program-prompt-md.js";
import { resolveSignature } from "./signature.js";

/** Where committed programs live, relative to the repository (the workdir). */
export const PROGRAMS_DIR = ".hybrid-pipeline/programs";

/** `.hybrid-pipeline/programs/<workflow file stem>/<step>.json` under `workdir`. */
export function programFilePath(workdir: string, workflowFile: string, step: string): string {
  const stem = basename(workflowFile).replace(/\.(ya?ml)$/i, "");
  return join(workdir, PROGRAMS_DIR, stem, `${step}.json`);
}

/** A committed program file as a run sees it. */
export type ProgramFile =
  | { kind: "none"; path: string }
  | {
      kind: "committed";
      path: string;
      compiled: CompiledProgram;
      /** Parts of the inputs that changed since it was compiled; empty when it is current. */
      changed: ProgramInputPart[];
    }
  | { kind: "external"; path: string; compiled: CompiledProgram; key: string }
  | { kind: "invalid"; path: string; message: string };

/**
 * Program JSON plus our metadata, as `optimize --write` writes it. The compile time is left out
 * (it reads back as ""), so compiling the same inputs again writes the same bytes: no diff to review.
 */
export function programFileJson(compiled: CompiledProgram, inputs: ProgramInputs): string {
  const json = toDspyJson({ ...compiled, meta: { ...compiled.meta, created_at: "" } });
  const meta: Record<string, unknown> = { ...(json.hybrid_pipeline as object), inputs };
  delete meta.created_at;
  json.hybrid_pipeline = meta;
  return JSON.stringify(json, null, 2) + "\n";
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

/** Writes `<step>.json` and `<step>.prompt.md`; returns both paths. */
export async function writeProgramFiles(
  path: string,
  workflow: string,
  compiled: CompiledProgram,
  inputs: ProgramInputs,
): Promise<[string, string]> {
  await mkdir(dirname(path), { recursive: true });
  const md = path.replace(/\.json$/, ".prompt.md");
  await writeAtomic(path, programFileJson(compiled, inputs));
  await writeAtomic(md, programPromptMarkdown(compiled.meta.step, workflow, compiled.program));
  return [path, md];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function isInputs(value: unknown): value is ProgramInputs {
  return (
    isRecord(value) &&
    typeof value.hash === "string" &&
    isRecord(value.parts) &&
    ["signature", "training_data", "optimizer"].every(
      (p) => typeof (value.parts as Record<string, unknown>)[p] === "string",
    )
  );
}

/** A DSPy save holds no scores: the meta says what little is known, and that nothing was measured. */
function externalMeta(
  step: string,
  model: string | undefined,
  path: string,
): CompiledProgram["meta"] {
  return {
    step,
    signature: "",
    optimizer: "labeled_few_shot",
    params: defaultOptimizerParams,
    model: model ?? "unknown",
    metric: "none",
    n_train: 0,
    n_validation: 0,
    heldout: {
      split: "none",
      folds: null,
      n_labelled: 0,
      min_labelled: 0,
      pairs: [],
      ids: [],
      traditional: { errors: {}, parseFailures: 0 },
      optimized: { errors: {}, parseFailures: 0 },
      repeats: 1,
    },
    cache_key: `external:${path}`,
    created_at: "",
    lm_calls: new CallLedger(0).usage,
    simulated: false,
  };
}

/**
 * Reads the program file of a step, if any: ours (with the parts of its inputs that changed since),
 * or one saved by DSPy (external, used as it is). Never throws: an unreadable file is `invalid`.
 */
export async function readProgramFile(options: {
  workdir: string;
  workflowFile: string;
  step: ProgramInputStep;
  workflow: Pick<Workflow, "dspy_config">;
}): Promise<ProgramFile> {
  const { workdir, step, workflow } = options;
  const path = programFilePath(workdir, options.workflowFile, step.name);
  const shown = relative(workdir, path) || path;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "none", path };
    return { kind: "invalid", path, message: `${shown}: ${(error as Error).message}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: "invalid", path, message: `${shown}: not JSON (${(error as Error).message})` };
  }
  if (isRecord(value) && isRecord(value.hybrid_pipeline)) {
    const ours = value.hybrid_pipeline;
    const compiled = fromDspyJson({ ...value, hybrid_pipeline: { created_at: "", ...ours } });
    if (!compiled || !isInputs(ours.inputs))
      return {
        kind: "invalid",
        path,
        message: `${shown}: the hybrid_pipeline metadata is incomplete; write it again with \`hybrid-pipeline optimize FILE --write\``,
      };
    const now = await programInputs(step, workflow, workdir);
    const changed = now ? changedParts(ours.inputs, now) : [];
    return { kind: "committed", path, compiled, changed };
  }
  const signature = resolveSignature(step, workflow);
  if (!signature)
    return { kind: "invalid", path, message: `${shown}: step '${step.name}' has no signature` };
  try {
    const read = readDspyPredictor(value, step.name, signature, shown);
    return {
      kind: "external",
      path,
      key: read.key,
      compiled: { program: read.program, meta: externalMeta(step.name, read.model, shown) },
    };
  } catch (error) {
    if (error instanceof DspyStateError) return { kind: "invalid", path, message: error.message };
    throw error;
  }
}
