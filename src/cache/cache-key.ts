import { createHash } from "node:crypto";
import { CACHE_FORMAT_VERSION } from "./entry-codec.js";

/**
 * JSON with object keys sorted at every depth, so key order never changes a hash.
 * Rejects what JSON cannot represent faithfully (undefined, functions, NaN, Infinity, bigint),
 * because silently dropping a part would let two different inputs share a key.
 */
export function canonicalJson(value: unknown, path = "$"): string {
  if (value === null || typeof value === "string" || typeof value === "boolean")
    return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw new TypeError(`cache key part ${path} is not a finite number`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value))
    return `[${value.map((item, i) => canonicalJson(item, `${path}[${i}]`)).join(",")}]`;
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    const fields = Object.keys(record)
      .sort()
      .filter((k) => record[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k], `${path}.${k}`)}`);
    return `{${fields.join(",")}}`;
  }
  throw new TypeError(`cache key part ${path} has type ${typeof value}, which has no JSON form`);
}

/** sha256 (hex) of everything in `parts` plus the cache format version. Object key order is irrelevant. */
export function cacheKey(parts: Record<string, unknown>): string {
  return createHash("sha256")
    .update(canonicalJson({ format: CACHE_FORMAT_VERSION, parts }))
    .digest("hex");
}

/** sha256 (hex) of content, e.g. a training-data file, for use as a key part. */
export function contentHash(content: string | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Everything that changes an optimization's result; a change to any field is a different key. */
export interface OptimizationKeyInput {
  /** The step's signature in canonical string form, e.g. `code, context -> review`. */
  signature: string;
  instructions: string;
  /** e.g. `bootstrap_few_shot`. */
  optimizer: string;
  optimizerParams: Record<string, unknown>;
  seed: number;
  /** `contentHash` of the training data. */
  trainsetHash: string;
  /** The metric spec as written (name or object). */
  metric: unknown;
  /** Every model the optimization calls (task model, proposer, judge), in any order. */
  models: string[];
  /** The step's own prompt (and claude_options), scored held-out as the traditional variant; null without one. */
  traditional?: unknown;
  /** How held-out evidence is gathered (split fractions, cross-fitting, floor): a change recompiles. */
  evidence?: unknown;
}

/** The cache key of one compiled program. Model order does not matter; everything else does. */
export function optimizationCacheKey(input: OptimizationKeyInput): string {
  return cacheKey({ kind: "optimization", ...input, models: [...new Set(input.models)].sort() });
}
