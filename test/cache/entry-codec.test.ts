import { describe, expect, it } from "vitest";
import { CACHE_FORMAT_VERSION, decodeEntry, encodeEntry } from "../../src/cache/index.js";

const entry = {
  value: { instructions: "Review the code.", demos: [{ code: "x", review: "ok" }] },
  tags: ["step:analyze"],
  createdAt: 1_700_000_000_000,
};

describe("entry codec", () => {
  it("round-trips an entry with its format version and checksum", () => {
    const text = encodeEntry("k1", entry);
    expect(JSON.parse(text)).toMatchObject({
      format: "hybrid-pipeline-cache",
      version: CACHE_FORMAT_VERSION,
      key: "k1",
    });
    expect(decodeEntry(text, "k1")).toEqual({ kind: "ok", key: "k1", entry });
  });

  it("rejects a flipped byte in the body by checksum", () => {
    const text = encodeEntry("k1", entry).replace("Review", "Reviev");
    expect(decodeEntry(text, "k1")).toEqual({ kind: "corrupt", reason: "checksum mismatch" });
  });

  it("rejects a truncated entry", () => {
    const text = encodeEntry("k1", entry);
    expect(decodeEntry(text.slice(0, text.length - 5), "k1").kind).toBe("corrupt");
  });

  it("reports a foreign format version instead of reading it", () => {
    const text = encodeEntry("k1", entry).replace(
      `"version":${CACHE_FORMAT_VERSION}`,
      '"version":99',
    );
    expect(decodeEntry(text, "k1")).toEqual({
      kind: "foreign_version",
      version: 99,
      reason: `format version 99, expected ${CACHE_FORMAT_VERSION}`,
    });
  });

  it("rejects an entry stored under another key", () => {
    expect(decodeEntry(encodeEntry("k1", entry), "k2")).toEqual({
      kind: "corrupt",
      reason: "entry belongs to key k1",
    });
  });
});
