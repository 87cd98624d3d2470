import { createHash } from "node:crypto";
import type { CacheEntry } from "./cache-tier.js";
import { isRecord } from "../report/index.js";

/** Bumped whenever the stored envelope or the meaning of a key changes; older entries are then foreign. */
export const CACHE_FORMAT_VERSION = 1;

const MAGIC = "hybrid-pipeline-cache";

/** What a tier reads back from its store: an entry, or why it must be discarded. */
export type DecodedEntry =
  | { kind: "ok"; key: string; entry: CacheEntry }
  | { kind: "corrupt"; reason: string }
  | { kind: "foreign_version"; version: unknown; reason: string };

interface Envelope {
  format: typeof MAGIC;
  version: number;
  key: string;
  sha256: string;
  body: string;
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * Serialises an entry for disk or Redis. The body is kept as a string so the checksum covers the
 * exact bytes that are parsed back; any flipped byte or truncation is caught before use.
 */
export function encodeEntry(key: string, entry: CacheEntry): string {
  const body = JSON.stringify({ value: entry.value, tags: entry.tags, createdAt: entry.createdAt });
  const envelope: Envelope = {
    format: MAGIC,
    version: CACHE_FORMAT_VERSION,
    key,
    sha256: sha256(body),
    body,
  };
  return JSON.stringify(envelope);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Validates a stored envelope; never throws. A wrong version or checksum is reported, not repaired. */
export function decodeEntry(text: string, expectedKey?: string): DecodedEntry {
  const envelope = parse(text);
  if (!isRecord(envelope) || envelope.format !== MAGIC)
    return { kind: "corrupt", reason: "not a cache entry (unreadable JSON or missing header)" };
  if (envelope.version !== CACHE_FORMAT_VERSION) {
    return {
      kind: "foreign_version",
      version: envelope.version,
      reason: `format version ${String(envelope.version)}, expected ${CACHE_FORMAT_VERSION}`,
    };
  }
  const { key, body, sha256: checksum } = envelope;
  if (typeof key !== "string" || typeof body !== "string" || typeof checksum !== "string") {
    return { kind: "corrupt", reason: "envelope fields missing" };
  }
  if (expectedKey !== undefined && key !== expectedKey)
    return { kind: "corrupt", reason: `entry belongs to key ${key}` };
  if (sha256(body) !== checksum) return { kind: "corrupt", reason: "checksum mismatch" };
  const parsed = parse(body);
  if (!isRecord(parsed) || !("value" in parsed))
    return { kind: "corrupt", reason: "body is not an entry" };
  const { value, tags, createdAt } = parsed;
  if (
    !Array.isArray(tags) ||
    !tags.every((t) => typeof t === "string") ||
    typeof createdAt !== "number"
  ) {
    return { kind: "corrupt", reason: "entry tags or createdAt invalid" };
  }
  return { kind: "ok", key, entry: { value, tags: tags as string[], createdAt } };
}
