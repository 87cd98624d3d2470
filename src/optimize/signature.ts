import type { SignatureField, SignatureSpec, Workflow } from "../config/index.js";

/** One field of a resolved signature. */
export interface Field {
  name: string;
  /** @default "string" */
  type: NonNullable<SignatureField["type"]>;
  description: string;
  /** Where an input's value comes from at run time (`{{steps.x.content}}`); absent for outputs. */
  template?: string;
  /** Allowed values of a `literal` field. */
  options?: string[];
}

/** A step's signature with defaults filled: DSPy's instructions, input fields and output fields. */
export interface Signature {
  instructions: string;
  inputs: Field[];
  outputs: Field[];
  /** True when the step gave no input fields and its rendered prompt is the single input `prompt`. */
  promptAsInput: boolean;
}

/** The part of a step a signature is resolved from. */
export interface SignatureStep {
  name: string;
  signature?: SignatureSpec;
}

const PROMPT_FIELD: Field = {
  name: "prompt",
  type: "string",
  description: "The step's rendered prompt.",
};
const OUTPUT_FIELD: Field = { name: "output", type: "string", description: "The step's answer." };

function field(f: SignatureField): Field {
  const out: Field = {
    name: f.name,
    type: f.type ?? (f.options ? "literal" : "string"),
    description: f.description ?? "",
  };
  if (f.template !== undefined) out.template = f.template;
  if (f.options !== undefined) out.options = [...f.options];
  return out;
}

/** DSPy's default instructions: "Given the fields `a`, `b`, produce the fields `c`." (dspy/signatures/signature.py). */
export function defaultInstructions(inputs: Field[], outputs: Field[]): string {
  const list = (fs: Field[]) => fs.map((f) => `\`${f.name}\``).join(", ");
  return `Given the fields ${list(inputs)}, produce the fields ${list(outputs)}.`;
}

/** Parses DSPy's string form `"code, context -> review"` (types after `:` are accepted and kept as string). */
export function parseSignatureString(text: string): { inputs: Field[]; outputs: Field[] } {
  const [left = "", right = ""] = text.split("->");
  const names = (side: string): Field[] =>
    side
      .split(",")
      .map((part) => part.split(":")[0]!.trim())
      .filter((name) => name.length > 0)
      .map((name) => ({ name, type: "string", description: "" }));
  return { inputs: names(left), outputs: names(right) };
}

/**
 * The step's signature: `step.signature` (string or object form), else
 * `dspy_config.signatures.<step name>`; undefined when the step has neither.
 * A signature without inputs takes the rendered prompt as the single input `prompt`;
 * without outputs it produces a single string `output`.
 */
export function resolveSignature(
  step: SignatureStep,
  workflow: Pick<Workflow, "dspy_config">,
): Signature | undefined {
  const spec: SignatureSpec | undefined =
    step.signature ?? workflow.dspy_config?.signatures?.[step.name];
  if (spec === undefined) return undefined;
  const parsed =
    typeof spec === "string"
      ? parseSignatureString(spec)
      : {
          inputs: (spec.input_fields ?? []).map(field),
          outputs: (spec.output_fields ?? []).map(field),
        };
  const promptAsInput = parsed.inputs.length === 0;
  const inputs = promptAsInput ? [PROMPT_FIELD] : parsed.inputs;
  const outputs = parsed.outputs.length === 0 ? [OUTPUT_FIELD] : parsed.outputs;
  const given = typeof spec === "string" ? undefined : spec.instructions;
  return {
    instructions: given ?? defaultInstructions(inputs, outputs),
    inputs,
    outputs,
    promptAsInput,
  };
}

/** The canonical string form, `a, b -> c`, used in cache keys and reports. */
export function signatureString(signature: Signature): string {
  return `${signature.inputs.map((f) => f.name).join(", ")} -> ${signature.outputs.map((f) => f.name).join(", ")}`;
}
