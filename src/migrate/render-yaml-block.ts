/** A value the block renderer writes: what migration generates, nothing more. */
export type BlockValue = string | number | boolean | BlockValue[] | { [key: string]: BlockValue };

/**
 * Words YAML 1.1 or 1.2 resolve to something other than a string when plain
 * (https://yaml.org/type/bool.html, https://yaml.org/type/null.html, YAML 1.2 core schema).
 */
const specialWords = new Set(
  ["y", "yes", "n", "no", "true", "false", "on", "off", "null"].flatMap((w) => [
    w,
    w.toUpperCase(),
    w[0]!.toUpperCase() + w.slice(1),
  ]),
);

/** True when `text` reads back as the same string, unquoted, in YAML 1.1 and 1.2 alike. */
export function isPlainSafe(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(text) && !specialWords.has(text);
}

const namedEscapes: Record<string, string> = {
  "\\": "\\\\",
  '"': '\\"',
  "\0": "\\0",
  "\x07": "\\a",
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\v": "\\v",
  "\f": "\\f",
  "\r": "\\r",
  "\x1b": "\\e",
  "\x85": "\\N",
  "\xa0": "\\_",
  "\u2028": "\\L",
  "\u2029": "\\P",
};

/** A double-quoted scalar, escaped for YAML 1.1 and 1.2: no raw line breaks, tabs or non-printables. */
export function quote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const named = namedEscapes[ch];
    if (named) out += named;
    else if (
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      code === 0xfeff ||
      (code >= 0xd800 && code <= 0xdfff)
    ) {
      out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return `${out}"`;
}

function scalar(value: string | number | boolean): string {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} as a YAML number`);
    // YAML 1.1 floats need a dot and no bare exponent (https://yaml.org/type/float.html).
    const text = String(value);
    return /e/i.test(text) ? value.toFixed(20).replace(/\.?0+$/, "") : text;
  }
  return isPlainSafe(value) ? value : quote(value);
}

function key(name: string): string {
  return isPlainSafe(name) ? name : quote(name);
}

function isComposite(value: BlockValue): value is BlockValue[] | { [key: string]: BlockValue } {
  return typeof value === "object";
}

function isEmpty(value: BlockValue): boolean {
  return Array.isArray(value)
    ? value.length === 0
    : typeof value === "object" && Object.keys(value).length === 0;
}

function mapLines(map: { [key: string]: BlockValue }, indent: string, unit: string): string[] {
  return Object.entries(map).flatMap(([name, value]) => {
    if (isEmpty(value)) return [`${indent}${key(name)}: ${Array.isArray(value) ? "[]" : "{}"}`];
    if (!isComposite(value)) return [`${indent}${key(name)}: ${scalar(value)}`];
    return [`${indent}${key(name)}:`, ...valueLines(value, indent + unit, unit)];
  });
}

function valueLines(
  value: BlockValue[] | { [key: string]: BlockValue },
  indent: string,
  unit: string,
): string[] {
  if (!Array.isArray(value)) return mapLines(value, indent, unit);
  return value.flatMap((item) => {
    if (!isComposite(item) || isEmpty(item))
      return [
        `${indent}- ${isComposite(item) ? (Array.isArray(item) ? "[]" : "{}") : scalar(item)}`,
      ];
    // "- " then the item's lines indented by two more columns, the first one sharing the dash's line.
    const inner = valueLines(item, `${indent}  `, unit);
    return [`${indent}- ${inner[0]!.slice(indent.length + 2)}`, ...inner.slice(1)];
  });
}

/**
 * Renders `sections` as block-style YAML lines (no folded scalars, no flow collections except `[]`/`{}`),
 * each line starting with `indent`, nested levels indented by `unit`.
 */
export function renderYamlBlock(
  sections: { [key: string]: BlockValue },
  indent: string,
  unit: string,
): string[] {
  return mapLines(sections, indent, unit);
}
