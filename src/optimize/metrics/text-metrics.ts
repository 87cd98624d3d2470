import { isDeepStrictEqual } from "node:util";
import { isRecord } from "../../report/index.js";
import { multisetF1 } from "../../stats/index.js";

/**
 * Reference-based text metrics as in SQuAD's evaluation script and DSPy's `dspy/evaluate/metrics.py`
 * (`normalize_text`): NFD, lowercase, ASCII punctuation removed (not replaced: "don't" → "dont"), articles
 * dropped, spaces squeezed, then compare.
 */
export function normalizeText(text: string): string {
  return (
    text
      .normalize("NFD")
      .toLowerCase()
      // Python's string.punctuation (ASCII), removed as DSPy's normalize_text does.
      .replace(/[!-/:-@[-`{-~]/g, "")
      .replace(/\b(a|an|the)\b/g, " ")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/** 1 when the normalised texts are equal, else 0. */
export function exactMatch(expected: string, predicted: string): number {
  return normalizeText(expected) === normalizeText(predicted) ? 1 : 0;
}

/** 1 when the normalised prediction contains the normalised expected text, else 0. */
export function contains(expected: string, predicted: string): number {
  const needle = normalizeText(expected);
  return needle.length > 0 && ` ${normalizeText(predicted)} `.includes(` ${needle} `) ? 1 : 0;
}

/** Token-level F1 of the normalised texts (multiset overlap); 1 when both are empty. */
export function tokenF1(expected: string, predicted: string): number {
  const gold = normalizeText(expected).split(" ").filter(Boolean);
  const pred = normalizeText(predicted).split(" ").filter(Boolean);
  return multisetF1(gold, pred);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  const body = /\{[\s\S]*\}/.exec(text)?.[0];
  if (body === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(body);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Share of `fields` whose JSON values are deeply equal in both texts, whatever the key order (all keys of the expected object when none named). */
export function jsonFieldMatch(
  expected: string,
  predicted: string,
  fields: string[] | undefined,
): number {
  const gold = parseObject(expected);
  const pred = parseObject(predicted);
  if (!gold || !pred) return 0;
  const keys = fields && fields.length > 0 ? fields : Object.keys(gold);
  if (keys.length === 0) return 1;
  const equal = keys.filter((k) => k in pred && isDeepStrictEqual(gold[k], pred[k])).length;
  return equal / keys.length;
}

/** Whether a text (optionally fenced) is a JSON object or array: `"42"`, `null` and `true` are not. */
export function isJsonStructure(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ""));
    return value !== null && typeof value === "object";
  } catch {
    return false;
  }
}

/**
 * 1 when the prediction is the signature's object (reference-free): with one output field, its value
 * is a JSON object or array; with several, every output field is present and non-empty (the output
 * adapter already read them from one object or from markers), else 0.
 */
export function jsonValid(fields: string[], predicted: Record<string, string>): number {
  if (fields.length === 1) return isJsonStructure(predicted[fields[0]!] ?? "") ? 1 : 0;
  return fields.every((f) => (predicted[f] ?? "").trim() !== "") ? 1 : 0;
}
