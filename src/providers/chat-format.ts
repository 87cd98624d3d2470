/**
 * Reading a prompt the way the `sim` provider does: DSPy ChatAdapter field markers
 * (`[[ ## field ## ]]`, https://github.com/stanfordnlp/dspy/blob/main/dspy/adapters/chat_adapter.py),
 * the output fields a system prompt asks for, and lists of allowed outputs.
 */
export interface OutputField {
  name: string;
  /** Allowed values when the field's type is a `Literal[...]`. */
  options?: string[];
}

const MARKER = /\[\[ ## ([^#\]]+?) ## \]\]/g;
const DSPY_RESPOND_LINE = /^Respond with the corresponding output fields.*$/gm;

/** True when the prompt uses ChatAdapter markers, so the answer must use them too. */
export function usesMarkers(system: string): boolean {
  return /\[\[ ## [^#\]]+ ## \]\]/.test(system);
}

function markerNames(text: string): string[] {
  return [...text.matchAll(MARKER)].map((m) => m[1]!.trim());
}

/**
 * The output fields: the numbered list under "Your output fields are:" when present, otherwise
 * the markers of the system prompt that are neither inputs (markers of the final user message)
 * nor `completed`.
 */
export function outputFields(system: string, finalUser: string): OutputField[] {
  const section = /Your output fields are:\s*\n([\s\S]*?)(?:\n\s*\n|All interactions|$)/.exec(
    system,
  );
  if (section) {
    const fields = [...section[1]!.matchAll(/^\s*\d+\.\s*`([^`]+)`\s*(?:\(([^)\n]*)\))?/gm)].map(
      (m) => {
        const options = m[2] ? literalOptions(m[2]) : undefined;
        return options ? { name: m[1]!, options } : { name: m[1]! };
      },
    );
    if (fields.length > 0) return fields;
  }
  const inputs = new Set(markerNames(finalUser));
  const names = [...new Set(markerNames(system))].filter(
    (n) => n !== "completed" && !inputs.has(n),
  );
  return names.map((name) => ({ name }));
}

function literalOptions(text: string): string[] | undefined {
  const literal = /Literal\[([^\]]*)\]/.exec(text);
  return literal ? splitOptions(literal[1]!) : undefined;
}

function splitOptions(list: string): string[] | undefined {
  const options = list
    .split(/,|\bor\b/)
    .map((o) =>
      o
        .trim()
        .replace(/^["'`]+|["'`]+$/g, "")
        .trim(),
    )
    .filter((o) => o.length > 0);
  const unique = [...new Set(options)];
  return unique.length >= 2 ? unique : undefined;
}

/** Allowed outputs listed as `Literal['a', 'b']`, `one of: a, b, c` or `options: [a, b]` (first found). */
export function listedOptions(text: string): string[] | undefined {
  const patterns = [
    /Literal\[([^\]]*)\]/,
    /\bone of:?\s*([^\n.;]+)/i,
    /\boptions:\s*\[([^\]]*)\]/i,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    const options = match ? splitOptions(match[1]!) : undefined;
    if (options) return options;
  }
  return undefined;
}

/** A message's input text: markers and DSPy's "Respond with the corresponding output fields..." line removed. */
export function inputText(message: string): string {
  return message.replace(DSPY_RESPOND_LINE, " ").replace(MARKER, " ");
}

/** Renders `[[ ## field ## ]]` sections followed by `[[ ## completed ## ]]`. */
export function renderFields(values: Array<[string, string]>): string {
  return (
    values.map(([name, value]) => `[[ ## ${name} ## ]]\n${value}\n\n`).join("") +
    "[[ ## completed ## ]]"
  );
}

/** Lowercase alphanumeric words, in order. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}
