import { asText, type Demo, type Fields, type Program } from "./example.js";
import type { Field, Signature } from "./signature.js";

/**
 * Reading programs saved by DSPy 3.x (`module.save("x.json")`). The file maps each predictor's
 * attribute path (`self` for a bare `dspy.Predict`, `predict`, `module.predict`, `react`) to its
 * state `{traces, train, demos, signature: {instructions, fields: [{prefix, description}]}, lm}`,
 * beside a `metadata` entry (dspy/primitives/base_module.py `dump_state`/`save`,
 * dspy/predict/predict.py `dump_state`). Saved fields carry no names, so they are matched to the
 * step's signature by position; demos are flat maps of field values plus DSPy's bookkeeping keys.
 */

/** Why a DSPy file cannot give a step its program. */
export class DspyStateError extends Error {
  override readonly name = "DspyStateError";
  constructor(
    readonly code: "NOT_A_PROGRAM" | "AMBIGUOUS_PREDICTOR" | "FIELD_COUNT",
    message: string,
  ) {
    super(message);
  }
}

/** One predictor read from a DSPy file: its program over the step's signature, and where it came from. */
export interface DspyPredictor {
  /** The predictor's key in the file (`self`, `predict`, `classify.predict`). */
  key: string;
  program: Program;
  /** `lm.model` when DSPy saved the predictor's LM (its sanitized state), else undefined. */
  model?: string;
}

/** Keys of a saved file that are not predictors (DSPy's own and ours). */
const NOT_PREDICTORS = new Set(["metadata", "hybrid_pipeline"]);
/** DSPy's per-demo bookkeeping (`augmented`, and the `dspy_uuid`/`dspy_split` of labelled examples). */
const BOOKKEEPING = new Set(["augmented", "dspy_uuid", "dspy_split"]);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

interface SavedField {
  prefix: string;
  description: string;
}

interface SavedPredictor {
  demos: unknown[];
  instructions: string;
  fields: SavedField[];
  lm: unknown;
}

function asPredictor(value: unknown): SavedPredictor | undefined {
  if (!isRecord(value) || !Array.isArray(value.demos) || !isRecord(value.signature))
    return undefined;
  const { instructions, fields } = value.signature;
  if (typeof instructions !== "string" || !Array.isArray(fields)) return undefined;
  const saved: SavedField[] = [];
  for (const f of fields) {
    if (!isRecord(f)) return undefined;
    saved.push({
      prefix: typeof f.prefix === "string" ? f.prefix : "",
      description: typeof f.description === "string" ? f.description : "",
    });
  }
  return { demos: value.demos, instructions, fields: saved, lm: value.lm };
}

/** Every predictor of a saved file by key, in file order; empty when the value is not a DSPy save. */
export function dspyPredictorKeys(value: unknown): string[] {
  if (!isRecord(value)) return [];
  return Object.keys(value).filter((k) => !NOT_PREDICTORS.has(k) && asPredictor(value[k]));
}

/** `${question}` is DSPy's placeholder description of a field that has none; it also names the field. */
const placeholder = /^\$\{([^}]+)\}$/;

/** The name DSPy gave a saved field: from its placeholder description, else its prefix (`Finding Text:` → `finding_text`). */
function savedName(f: SavedField): string {
  const fromDescription = placeholder.exec(f.description)?.[1];
  if (fromDescription) return fromDescription;
  return f.prefix.replace(/:$/, "").trim().toLowerCase().replace(/\s+/g, "_");
}

function withSavedDescription(field: Field, saved: SavedField): Field {
  if (!saved.description || placeholder.test(saved.description)) return field;
  return { ...field, description: saved.description };
}

function demoOf(
  raw: Record<string, unknown>,
  signature: Signature,
  savedNames: string[],
): Demo | undefined {
  const n = signature.inputs.length;
  const pick = (fields: Field[], offset: number): Fields =>
    Object.fromEntries(
      fields.map((f, i) => {
        const value = raw[savedNames[offset + i]!] ?? raw[f.name];
        return [f.name, value === undefined || value === null ? "" : asText(value)];
      }),
    );
  const known = Object.keys(raw).filter((k) => !BOOKKEEPING.has(k));
  if (known.length === 0) return undefined;
  return {
    inputs: pick(signature.inputs, 0),
    outputs: pick(signature.outputs, n),
    augmented: raw.augmented === true,
  };
}

function chooseKey(keys: string[], step: string, file: string): string {
  const named = keys.find((k) => k === step || k === `${step}.predict`);
  if (named) return named;
  if (keys.length === 1) return keys[0]!;
  throw new DspyStateError(
    "AMBIGUOUS_PREDICTOR",
    `${file}: ${keys.length} predictors (${keys.join(", ")}) and none is named after step '${step}'; rename the predictor in the DSPy module to '${step}' or save that predictor alone`,
  );
}

/**
 * The program a DSPy save gives a step: the predictor whose key is the step's name (or
 * `<step>.predict`), else the only predictor. Saved fields map to the step's signature by position
 * (inputs, then outputs); saved instructions and real descriptions replace the step's.
 * @throws DspyStateError when the file holds no predictor, several with no match, or another number of fields.
 */
export function readDspyPredictor(
  value: unknown,
  step: string,
  signature: Signature,
  file: string,
): DspyPredictor {
  const keys = dspyPredictorKeys(value);
  if (keys.length === 0)
    throw new DspyStateError(
      "NOT_A_PROGRAM",
      `${file}: not a DSPy program (no predictor with demos and a signature); save it with DSPy's module.save("x.json")`,
    );
  const key = chooseKey(keys, step, file);
  const saved = asPredictor((value as Record<string, unknown>)[key])!;
  const expected = signature.inputs.length + signature.outputs.length;
  if (saved.fields.length !== expected)
    throw new DspyStateError(
      "FIELD_COUNT",
      `${file}: predictor '${key}' has ${saved.fields.length} fields but step '${step}' has ${expected} (${[...signature.inputs, ...signature.outputs].map((f) => f.name).join(", ")}); fields are matched by position, so make the step's signature list the same fields in the same order`,
    );
  const n = signature.inputs.length;
  const adopted: Signature = {
    ...signature,
    instructions: saved.instructions,
    inputs: signature.inputs.map((f, i) => withSavedDescription(f, saved.fields[i]!)),
    outputs: signature.outputs.map((f, i) => withSavedDescription(f, saved.fields[n + i]!)),
  };
  const names = saved.fields.map(savedName);
  const demos = saved.demos
    .filter(isRecord)
    .map((d) => demoOf(d, adopted, names))
    .filter((d): d is Demo => d !== undefined);
  const model =
    isRecord(saved.lm) && typeof saved.lm.model === "string" ? saved.lm.model : undefined;
  return {
    key,
    program: { instructions: saved.instructions, signature: adopted, demos },
    ...(model ? { model } : {}),
  };
}
