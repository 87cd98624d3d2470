import type { Node, Pair, YAMLMap } from "yaml";

/** How the `workflow:` map is laid out in the file: what an inserted block must imitate. */
export interface BlockLayout {
  /** Indentation of the map's keys. */
  indent: string;
  /** One nesting level, as the file indents the map under `workflow:` (2, 4, ...). */
  unit: string;
  /** The file's line break where the block goes (`\n` or `\r\n`). */
  eol: string;
  /** True when the map's keys are separated by blank lines; the block then starts with one too. */
  blankSeparated: boolean;
}

/** A text insertion: `text` goes in at `offset`, every other byte stays. */
export interface Insertion {
  offset: number;
  text: string;
}

const lineStart = (text: string, offset: number) => text.lastIndexOf("\n", offset - 1) + 1;
const lineEnd = (text: string, start: number) => {
  const end = text.indexOf("\n", start);
  return end < 0 ? text.length : end + 1;
};
const isBlank = (line: string) => /^[ \t]*\r?\n?$/.test(line);
const commentIndent = (line: string) => /^( *)#/.exec(line)?.[1]!.length;
const startOf = (node: unknown) => (node as Node).range![0];

/** Reads the layout of a block-style `workflow:` map; `undefined` when its keys do not start their own lines. */
export function layoutOf(
  text: string,
  map: YAMLMap<unknown, unknown>,
  workflowKey: unknown,
): BlockLayout | undefined {
  const keyStarts = map.items.map((p) => startOf(p.key));
  const columns = keyStarts.map((s) => text.slice(lineStart(text, s), s));
  if (columns.length === 0 || columns.some((c) => !/^ *$/.test(c) || c !== columns[0]))
    return undefined;
  const indent = columns[0]!;
  // A byte-order mark before `workflow:` is not indentation.
  const parent = text
    .slice(lineStart(text, startOf(workflowKey)), startOf(workflowKey))
    .replace("\uFEFF", "").length;
  const blankSeparated = keyStarts.slice(1).some((s) => {
    const start = lineStart(text, s);
    return start > 0 && isBlank(text.slice(lineStart(text, start - 1), start));
  });
  return {
    indent,
    unit: " ".repeat(Math.max(2, indent.length - parent)),
    eol: eolNear(text, map),
    blankSeparated,
  };
}

function eolNear(text: string, map: YAMLMap<unknown, unknown>): string {
  const around = text.indexOf("\n", startOf(map.items[0]!.key));
  const at = around >= 0 ? around : text.indexOf("\n");
  return at > 0 && text[at - 1] === "\r" ? "\r\n" : "\n";
}

/** After the last value: past its line, and past comment lines indented like the map's keys (they belong to it). */
function endOfMap(text: string, last: Pair<unknown, unknown>, indent: number): number {
  const valueEnd = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1];
  let offset = valueEnd > 0 && text[valueEnd - 1] === "\n" ? valueEnd : lineEnd(text, valueEnd);
  for (let scan = offset; scan < text.length;) {
    const next = lineEnd(text, scan);
    const line = text.slice(scan, next);
    const comment = commentIndent(line);
    if (comment !== undefined && comment >= indent) offset = next;
    else if (!isBlank(line)) break;
    scan = next;
  }
  return offset;
}

/** Before the last key, and before the comment lines directly above it. */
function beforeLastKey(text: string, last: Pair<unknown, unknown>, indent: number): number {
  let offset = lineStart(text, startOf(last.key));
  while (offset > 0) {
    const previous = lineStart(text, offset - 1);
    if (commentIndent(text.slice(previous, offset)) !== indent) break;
    offset = previous;
  }
  return offset;
}

/**
 * Where the block may go, best first: at the end of the `workflow:` map (with, then without, the file's blank-line
 * separation), else just before its last key. The caller keeps the first candidate that verifies. At the end of a
 * file without a final newline the block is preceded by a line break and keeps the file's lack of one.
 */
export function insertionCandidates(
  text: string,
  map: YAMLMap<unknown, unknown>,
  lines: string[],
  layout: BlockLayout,
): Insertion[] {
  const { eol } = layout;
  const block = lines.join(eol);
  const separators = layout.blankSeparated ? [eol, ""] : [""];
  const last = map.items.at(-1)!;
  const end = endOfMap(text, last, layout.indent.length);
  const atEnd = separators.map((sep) =>
    end === text.length && !text.endsWith("\n")
      ? { offset: end, text: `${eol}${sep}${block}` }
      : { offset: end, text: `${sep}${block}${eol}` },
  );
  const before = beforeLastKey(text, last, layout.indent.length);
  const beforeLast = separators.map((sep) => ({ offset: before, text: `${block}${eol}${sep}` }));
  return [...atEnd, ...beforeLast];
}

/** Applies an insertion. */
export function applyInsertion(text: string, insertion: Insertion): string {
  return text.slice(0, insertion.offset) + insertion.text + text.slice(insertion.offset);
}
