import type { CallUsage } from "./call-ledger.js";
import type { HeldoutRecord } from "./heldout-evaluation.js";
import type { Demo, Program } from "./example.js";
import type { OptimizerName, OptimizerParams } from "./optimizer.js";
import type { SearchLog } from "./optimizers/search-log.js";
import type { Field, Signature } from "./signature.js";
import { isRecord } from "../report/index.js";

/** What we record beside DSPy's state: the measured scores and how the program was made. */
export interface ProgramMeta {
  step: string;
  /** Canonical signature string, e.g. `finding -> category`. */
  signature: string;
  optimizer: OptimizerName;
  params: OptimizerParams;
  model: string;
  metric: string;
  /** Examples the shipped program's demos and traces come from. */
  n_train: number;
  /** Examples the optimizer selected the shipped program on. */
  n_validation: number;
  /**
   * The held-out comparison with the step's own prompt (else the zero-shot program): the only
   * evidence reports and routing use. Never a selection (validation) score.
   */
  heldout: HeldoutRecord;
  cache_key: string;
  created_at: string;
  lm_calls: CallUsage;
  /** True when compiled against the offline `sim` provider: the scores are simulated. */
  simulated: boolean;
  /** What a searching optimizer did (trials, best validation score, minimum search). */
  search?: SearchLog;
  /** Present when the call budget could not cover the optimizer's minimum search: not a searched program. */
  under_budget?: true;
}

/** A compiled program and its metadata. */
export interface CompiledProgram {
  program: Program;
  meta: ProgramMeta;
}

/** DSPy's field prefix: `finding_text` → `Finding Text:` (dspy/signatures/field.py `infer_prefix`, simplified). */
function prefixOf(name: string): string {
  return (
    name
      .split("_")
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(" ") + ":"
  );
}

/** The predictor's name in the saved state; DSPy names a module's attribute path (`predict`). */
export const PREDICTOR_NAME = "predict";

/**
 * The DSPy save format (`Module.save(path)` JSON, dspy/primitives/base_module.py `dump_state`): per
 * predictor `{traces, train, demos, signature: {instructions, fields: [{prefix, description}]}, lm}`,
 * demos as flat field maps with `augmented: true` on bootstrapped ones, plus DSPy's `metadata`.
 * Our own metadata sits under `hybrid_pipeline`, which DSPy's `load` ignores.
 */
export function toDspyJson(compiled: CompiledProgram): Record<string, unknown> {
  const { program, meta } = compiled;
  const fields = [...program.signature.inputs, ...program.signature.outputs].map((f) => ({
    prefix: prefixOf(f.name),
    description: f.description || `\${${f.name}}`,
  }));
  const demos = program.demos.map((d) => ({
    ...(d.augmented ? { augmented: true } : {}),
    ...d.inputs,
    ...d.outputs,
  }));
  return {
    [PREDICTOR_NAME]: {
      traces: [],
      train: [],
      demos,
      signature: { instructions: program.instructions, fields },
      lm: null,
    },
    metadata: { dependency_versions: { python: null, dspy: null, cloudpickle: null } },
    hybrid_pipeline: {
      ...meta,
      signature_fields: {
        inputs: program.signature.inputs,
        outputs: program.signature.outputs,
        prompt_as_input: program.signature.promptAsInput,
      },
    },
  };
}

function toFields(value: unknown): Field[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: Field[] = [];
  for (const f of value) {
    if (!isRecord(f) || typeof f.name !== "string" || typeof f.type !== "string") return undefined;
    out.push(f as unknown as Field);
  }
  return out;
}

/** Reads back {@link toDspyJson}'s output (e.g. a cache entry); undefined when the shape is wrong. */
export function fromDspyJson(value: unknown): CompiledProgram | undefined {
  if (!isRecord(value)) return undefined;
  const state = value[PREDICTOR_NAME];
  const meta = value.hybrid_pipeline;
  if (
    !isRecord(state) ||
    !isRecord(meta) ||
    !isRecord(state.signature) ||
    !Array.isArray(state.demos)
  )
    return undefined;
  const sf = meta.signature_fields;
  if (!isRecord(sf)) return undefined;
  const inputs = toFields(sf.inputs);
  const outputs = toFields(sf.outputs);
  if (
    !inputs ||
    !outputs ||
    typeof state.signature.instructions !== "string" ||
    !isRecord(meta.heldout) ||
    !Array.isArray(meta.heldout.pairs)
  )
    return undefined;
  const signature: Signature = {
    instructions: state.signature.instructions,
    inputs,
    outputs,
    promptAsInput: sf.prompt_as_input === true,
  };
  const demos: Demo[] = [];
  for (const d of state.demos) {
    if (!isRecord(d)) return undefined;
    const pick = (fs: Field[]) =>
      Object.fromEntries(
        fs.map((f) => [
          f.name,
          typeof d[f.name] === "string" ? (d[f.name] as string) : JSON.stringify(d[f.name] ?? ""),
        ]),
      );
    demos.push({ inputs: pick(inputs), outputs: pick(outputs), augmented: d.augmented === true });
  }
  const rest: Record<string, unknown> = { ...meta };
  delete rest.signature_fields;
  return {
    program: { instructions: signature.instructions, signature, demos },
    meta: rest as unknown as ProgramMeta,
  };
}
