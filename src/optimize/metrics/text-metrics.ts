import { isRecord } from "../../report/index.js";
/**
 * Reference-based text metrics as in SQuAD's evaluation script and DSPy's `dspy/evaluate/metrics.py`:
 * normalise (lowercase, drop punctuation and articles, squeeze spaces), then compare.
 */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\b(a|an|the)\b/g, " ")
    .replace(/\s+/g, " ")
    .trim();
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
  if (gold.length === 0 || pred.length === 0) return gold.length === pred.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of gold) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of pred) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / pred.length;
  const recall = same / gold.length;
  return (2 * precision * recall) / (precision + recall);
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

/** Share of `fields` whose JSON values are equal in both texts (all keys of the expected object when none named). */
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
  const equal = keys.filter((k) => JSON.stringify(gold[k]) === JSON.stringify(pred[k])).length;
  return equal / keys.length;
}

/** 1 when the prediction parses as JSON, else 0 (reference-free). */
export function jsonValid(predicted: string): number {
  try {
    JSON.parse(predicted.trim().replace(/^```(?:json)?\s*|\s*```$/g, ""));
    return 1;
  } catch {
    return 0;
  }
}
