import { readFile, stat } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { contentHash } from "../cache/index.js";
import { asText, type Example, type Fields } from "./example.js";
import type { Field, Signature } from "./signature.js";

/** A problem in a training-data file: where it is (1-based) and what to do. */
export interface TrainingDataProblem {
  code: "TRAINING_DATA";
  severity: "error";
  file: string;
  line: number;
  col: number;
  message: string;
  hint?: string;
}

/** Loaded examples, no data for the step, or every problem found. */
export type TrainingData =
  | { kind: "loaded"; file: string; examples: Example[]; hash: string }
  | { kind: "missing"; looked: string[] }
  | { kind: "invalid"; problems: TrainingDataProblem[] };

const EXTENSIONS = [".jsonl", ".json", ".yaml", ".yml"];

/** `path:line:col: error: message (hint)`, as every problem is printed. */
export function formatDataProblem(p: TrainingDataProblem): string {
  return `${p.file}:${p.line}:${p.col}: error: ${p.message}${p.hint ? ` (${p.hint})` : ""}`;
}

async function isDirectory(path: string): Promise<boolean | undefined> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return undefined;
  }
}

interface RawRecord {
  value: unknown;
  line: number;
}

function parseJsonl(text: string): {
  records: RawRecord[];
  errors: Array<{ line: number; message: string }>;
} {
  const records: RawRecord[] = [];
  const errors: Array<{ line: number; message: string }> = [];
  text.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    try {
      records.push({ value: JSON.parse(raw) as unknown, line: i + 1 });
    } catch (e) {
      errors.push({ line: i + 1, message: `not valid JSON (${(e as Error).message})` });
    }
  });
  return { records, errors };
}

/** JSON and YAML through the YAML parser (JSON is YAML), so every record keeps its line. */
function parseDocumentRecords(
  text: string,
  step: string,
): { records: RawRecord[]; errors: Array<{ line: number; message: string }> } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (node: Node | null | undefined) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 1;
  if (doc.errors.length > 0)
    return {
      records: [],
      errors: doc.errors.map((e) => ({
        line: lineCounter.linePos(e.pos[0]).line,
        message: e.message,
      })),
    };
  let seq: unknown = doc.contents;
  // A single file for several steps maps step names to their records.
  if (isMap(seq)) seq = seq.get(step, true);
  if (!isSeq(seq))
    return {
      records: [],
      errors: [
        { line: 1, message: `expected a list of records (or a map with the key '${step}')` },
      ],
    };
  return {
    records: seq.items.map((item) => ({
      value: (item as Node).toJSON() as unknown,
      line: lineOf(item as Node),
    })),
    errors: [],
  };
}

const kindOf = (v: unknown) =>
  v === null ? "null" : Array.isArray(v) ? "list" : typeof v === "object" ? "map" : typeof v;

/** Why `value` does not fit `field`'s type (a label outside a literal's options, a number for a string), if so. */
function valueProblem(field: Field, value: unknown, what: string): string | undefined {
  const shown = JSON.stringify(value);
  const at = `\`${what}.${field.name}\``;
  switch (field.type) {
    case "literal":
      return field.options && !field.options.includes(String(value))
        ? `${at} is ${shown}, not one of its options (${field.options.join(", ")})`
        : undefined;
    // A map or list is documented input (its JSON is the text); a bare number or boolean is a slip.
    case "string":
      return typeof value !== "number" && typeof value !== "boolean"
        ? undefined
        : `${at} is a ${kindOf(value)} (${shown}) but the signature's field is a string; quote it`;
    case "number":
      return typeof value === "number" ||
        (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
        ? undefined
        : `${at} is ${shown}, not a number`;
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false"
        ? undefined
        : `${at} is ${shown}, not true or false`;
    case "list":
      return Array.isArray(value) ? undefined : `${at} is a ${kindOf(value)}, not a list`;
    case "object":
      return kindOf(value) === "map" ? undefined : `${at} is a ${kindOf(value)}, not a map`;
    default:
      return undefined;
  }
}

function toFields(value: unknown, fields: Field[], what: string): Fields | string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    if (fields.length === 1) {
      const wrong = valueProblem(fields[0]!, value, what);
      return wrong ?? { [fields[0]!.name]: String(value) };
    }
    return `\`${what}\` is a single value but the signature has ${fields.length} ${what} fields (${fields.map((f) => f.name).join(", ")}); give an object`;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return `\`${what}\` must be a string or an object of fields`;
  const record = value as Record<string, unknown>;
  const out: Fields = {};
  const missing = fields.filter((f) => record[f.name] === undefined).map((f) => f.name);
  if (missing.length > 0)
    return `\`${what}\` has no field ${missing.map((m) => `'${m}'`).join(", ")}`;
  for (const f of fields) {
    const wrong = valueProblem(f, record[f.name], what);
    if (wrong) return wrong;
    out[f.name] = asText(record[f.name]);
  }
  return out;
}

function toExample(
  raw: RawRecord,
  file: string,
  signature: Signature,
): Example | TrainingDataProblem {
  const problem = (message: string, hint: string): TrainingDataProblem => ({
    code: "TRAINING_DATA",
    severity: "error",
    file,
    line: raw.line,
    col: 1,
    message,
    hint,
  });
  const shapes = "records are {input, output} or {id, input, expected_output, metadata}";
  if (raw.value === null || typeof raw.value !== "object" || Array.isArray(raw.value))
    return problem("a record must be an object", shapes);
  const record = raw.value as Record<string, unknown>;
  if (record.input === undefined) return problem("record has no `input`", shapes);
  const output = record.expected_output ?? record.output;
  if (output === undefined) return problem("record has no `output` (or `expected_output`)", shapes);
  const inputs = toFields(record.input, signature.inputs, "input");
  if (typeof inputs === "string")
    return problem(inputs, `input fields: ${signature.inputs.map((f) => f.name).join(", ")}`);
  const outputs = toFields(output, signature.outputs, "output");
  if (typeof outputs === "string")
    return problem(outputs, `output fields: ${signature.outputs.map((f) => f.name).join(", ")}`);
  const id =
    typeof record.id === "string" || typeof record.id === "number"
      ? String(record.id)
      : // Without an id, the content is the example's identity: its split stays put when lines move.
        `sha256:${contentHash(JSON.stringify([inputs, outputs])).slice(0, 16)}`;
  return { id, inputs, outputs };
}

/** Why a step name cannot be a file name inside the training-data directory (it could reach outside it), if so. */
function unsafeFileName(step: string): string | undefined {
  if (step.includes("/") || step.includes("\\")) return "contains a path separator";
  if (step.includes("..")) return "contains '..'";
  return undefined;
}

/**
 * Loads a step's training data from `dspy_config.training_data_path` (relative to `workdir`): a
 * directory holding `<step>.jsonl|.json|.yaml|.yml`, or one file (a list, or a map of step name to
 * list). Every bad record is a problem naming the file and line; nothing is returned half-loaded.
 * A step name that cannot be a file name in the directory (`/`, `\`, `..`) is a problem too: it is never used as a path.
 */
export async function loadTrainingData(options: {
  workdir: string;
  path: string;
  step: string;
  signature: Signature;
}): Promise<TrainingData> {
  const base = resolve(options.workdir, options.path);
  // A path without an extension that does not exist yet is a directory to be: name the files it should hold.
  const directory = (await isDirectory(base)) || extname(base) === "";
  const unsafe = directory ? unsafeFileName(options.step) : undefined;
  if (unsafe) {
    const message = `step name '${options.step}' ${unsafe}, so it cannot name a training-data file in '${options.path}'`;
    const hint =
      "rename the step without '/', '\\' or '..', or set training_data_path to one file that maps step names to their records";
    return {
      kind: "invalid",
      problems: [
        {
          code: "TRAINING_DATA",
          severity: "error",
          file: options.path,
          line: 1,
          col: 1,
          message,
          hint,
        },
      ],
    };
  }
  const candidates = directory
    ? EXTENSIONS.map((ext) => join(base, `${options.step}${ext}`))
    : [base];
  for (const candidate of candidates) {
    let text: string;
    try {
      text = await readFile(candidate, "utf8");
    } catch {
      continue;
    }
    const shown = join(options.path, directory ? basename(candidate) : "");
    const parsed =
      extname(candidate) === ".jsonl" ? parseJsonl(text) : parseDocumentRecords(text, options.step);
    const problems: TrainingDataProblem[] = parsed.errors.map((e) => ({
      code: "TRAINING_DATA",
      severity: "error",
      file: shown,
      line: e.line,
      col: 1,
      message: e.message,
      hint: "fix the record's syntax",
    }));
    const examples: Example[] = [];
    for (const raw of parsed.records) {
      const outcome = toExample(raw, shown, options.signature);
      if ("code" in outcome) problems.push(outcome);
      else examples.push(outcome);
    }
    if (problems.length > 0)
      return { kind: "invalid", problems: problems.sort((a, b) => a.line - b.line) };
    return { kind: "loaded", file: shown, examples, hash: contentHash(text) };
  }
  return { kind: "missing", looked: candidates };
}
