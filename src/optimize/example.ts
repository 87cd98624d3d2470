import type { Signature } from "./signature.js";

/** Field values by field name; every value is text as the model sees it. */
export type Fields = Record<string, string>;

/** A labelled example (DSPy's `Example`): inputs and the expected outputs. */
export interface Example {
  id: string;
  inputs: Fields;
  outputs: Fields;
}

/** A demo in a program: a labelled example, or one bootstrapped from a teacher trace (`augmented`). */
export interface Demo {
  inputs: Fields;
  outputs: Fields;
  /** True when the outputs came from a teacher run that passed the metric (DSPy's `augmented`). */
  augmented: boolean;
}

/** A program for one step (DSPy's single `Predict`): instructions, fields and demos. */
export interface Program {
  instructions: string;
  signature: Signature;
  demos: Demo[];
}

/** Text of a value for a prompt: strings as they are, everything else as JSON. */
export function asText(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? "";
}
