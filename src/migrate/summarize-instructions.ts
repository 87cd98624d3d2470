/** Instructions longer than this are cut to their first sentences (a signature's instructions are a summary). */
export const maxInstructionChars = 200;

const length = (text: string) => Array.from(text).length;

/** Sentences and lines of `text`, in order: a line break ends a segment, so does `.`/`!`/`?` after a word (not `1.`). */
function segments(text: string): string[] {
  return text
    .split(/\r?\n/)
    .flatMap((line) => line.split(/(?<=[A-Za-z)\]`"'][.!?])\s+/))
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter(Boolean);
}

/**
 * Turns a prompt's static text into signature instructions: each `{{template}}` replaced by the name of the input
 * field that carries it, whitespace collapsed, and, when longer than `maxInstructionChars`, only the leading
 * sentences (or lines) that fit; a single over-long first sentence is cut at a word boundary and ends with "…".
 * Counts code points, so a surrogate pair is never split.
 */
export function summarizeInstructions(
  text: string,
  fieldForTemplate: (expression: string) => string | undefined,
): string {
  const named = text.replace(/\{\{([^}]*)\}\}/g, (whole, expression: string) => {
    const field = fieldForTemplate(expression.trim());
    return field ? `\`${field}\`` : whole;
  });
  const parts = segments(named);
  const flat = parts.join(" ");
  if (length(flat) <= maxInstructionChars) return flat;
  let summary = "";
  for (const part of parts) {
    const next = summary ? `${summary} ${part}` : part;
    if (length(next) > maxInstructionChars) break;
    summary = next;
  }
  if (summary) return summary;
  const cut = Array.from(flat)
    .slice(0, maxInstructionChars - 1)
    .join("");
  const boundary = cut.lastIndexOf(" ");
  return `${(boundary > maxInstructionChars / 2 ? cut.slice(0, boundary) : cut).trimEnd()}…`;
}
