import type { SignatureField } from "../config/index.js";
import type { Candidate } from "./find-candidates.js";
import { staticText } from "./find-candidates.js";
import { UniqueNames } from "./field-names.js";
import { inferInputs } from "./infer-inputs.js";
import { inferOutputs } from "./infer-outputs.js";
import { summarizeInstructions } from "./summarize-instructions.js";

/** The object form of a signature as migration writes it (`dspy_config.signatures.<step>`). */
export interface InferredSignature {
  instructions: string;
  input_fields?: SignatureField[];
  output_fields: SignatureField[];
}

/**
 * A signature for a candidate step: inputs from its prompt parts, outputs from its output schema or format,
 * instructions from its static content. Field names are snake_case and unique across inputs and outputs.
 * A prompt with no dynamic part gets no `input_fields`: the engine then passes the rendered prompt as `prompt`.
 */
export function inferSignature(candidate: Candidate): InferredSignature {
  const names = new UniqueNames();
  const inputs = inferInputs(candidate.parts, names);
  const outputs = inferOutputs(candidate.step, names);
  const instructions = summarizeInstructions(staticText(candidate.parts), inputs.fieldForTemplate);
  return inputs.fields.length > 0
    ? { instructions, input_fields: inputs.fields, output_fields: outputs }
    : { instructions, output_fields: outputs };
}
