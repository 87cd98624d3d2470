import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node,
} from "yaml";
import type { Problem } from "./problem.js";

/** A path into the parsed data: map keys and sequence indexes. */
export type DataPath = ReadonlyArray<string | number>;

/** A parsed single-document YAML file that can say where any data path is. */
export interface YamlSource {
  file: string;
  data: unknown;
  /** 1-based line and column of the value at `path` (or of its key with `at: "key"`); the nearest existing ancestor when absent. */
  positionOf(path: DataPath, at?: "key" | "value"): { line: number; col: number };
}

export type ParseOutcome =
  { kind: "parsed"; source: YamlSource } | { kind: "failed"; problems: Problem[] };

/** Aliases may expand at most this many times: a "billion laughs" file fails instead of exhausting memory. */
const maxAliasCount = 1000;

/** Parses `text` as one YAML document, reporting syntax errors, duplicate keys and extra documents with positions. */
export function parseYamlSource(text: string, file: string): ParseOutcome {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: Math.max(1, pos.line), col: Math.max(1, pos.col) };
  };
  const error = (
    offset: number,
    code: Problem["code"],
    message: string,
    hint: string,
  ): Problem => ({
    code,
    severity: "error",
    file,
    ...at(offset),
    message,
    hint,
  });
  if (!Array.isArray(docs) || docs.length === 0) {
    return {
      kind: "failed",
      problems: [
        error(
          0,
          "NOT_A_MAP",
          "the file is empty",
          "write a `workflow:` map with `name` and `steps`",
        ),
      ],
    };
  }
  const problems: Problem[] = [];
  for (const doc of docs) {
    for (const e of doc.errors) {
      problems.push(
        e.code === "DUPLICATE_KEY"
          ? error(
              e.pos[0],
              "DUPLICATE_KEY",
              "duplicate key in a map",
              "remove or rename one of the two keys; YAML keeps only one",
            )
          : error(
              e.pos[0],
              "YAML_SYNTAX",
              `YAML syntax: ${firstLine(e.message)}`,
              "fix the YAML syntax at this position",
            ),
      );
    }
  }
  if (docs.length > 1) {
    const second = docs[1]!;
    problems.push(
      error(
        second.range[0],
        "MULTI_DOCUMENT",
        `the file holds ${docs.length} YAML documents; a pipeline file holds one`,
        "remove the `---` separator and the extra documents, or split them into separate files",
      ),
    );
  }
  if (problems.length > 0) return { kind: "failed", problems };
  const doc = docs[0]!;
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount });
  } catch (e) {
    const message = e instanceof Error ? firstLine(e.message) : String(e);
    return {
      kind: "failed",
      problems: [
        error(
          0,
          "YAML_SYNTAX",
          `YAML cannot be loaded: ${message}`,
          "remove excessive or circular aliases",
        ),
      ],
    };
  }
  return {
    kind: "parsed",
    source: { file, data, positionOf: (path, where = "value") => at(offsetOf(doc, path, where)) },
  };
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.trim();
}

function offsetOf(doc: Document.Parsed, path: DataPath, where: "key" | "value"): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (isAlias(node)) return offset;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment),
      );
      if (!pair) return offset;
      const keyStart = rangeStart(pair.key);
      if (last && where === "key" && keyStart !== undefined) return keyStart;
      node = pair.value;
      offset = rangeStart(node) ?? keyStart ?? offset;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
      if (node === undefined) return offset;
      offset = rangeStart(node) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}
