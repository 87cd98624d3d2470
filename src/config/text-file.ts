/** A file's bytes as text, or why they are not text. */
export type DecodedText =
  { kind: "text"; text: string } | { kind: "binary" } | { kind: "not_utf8"; offset: number };

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Byte offset of the first byte that does not start or continue a valid UTF-8 sequence (RFC 3629 §4). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    const length =
      b < 0x80
        ? 1
        : b >= 0xc2 && b <= 0xdf
          ? 2
          : b >= 0xe0 && b <= 0xef
            ? 3
            : b >= 0xf0 && b <= 0xf4
              ? 4
              : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong 3- and 4-byte forms, UTF-16 surrogates and code points past U+10FFFF (RFC 3629 §4 table).
    const c1 = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && c1 < 0xa0) || (b === 0xed && c1 > 0x9f)) return i;
    if ((b === 0xf0 && c1 < 0x90) || (b === 0xf4 && c1 > 0x8f)) return i;
    i += length;
  }
  return bytes.length;
}

/**
 * Decodes a text file strictly: a NUL byte means "not a text file" (as git and grep decide, looking at
 * the first 8000 bytes), a byte sequence that is not UTF-8 names its byte offset. A BOM is kept.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.subarray(0, 8000).includes(0)) return { kind: "binary" };
  try {
    return { kind: "text", text: decoder.decode(bytes) };
  } catch {
    return { kind: "not_utf8", offset: firstInvalidUtf8(bytes) };
  }
}

/** The one line for bytes that are not text: "not a text file" or "not UTF-8 text: byte offset N". */
export function notTextMessage(decoded: Exclude<DecodedText, { kind: "text" }>): string {
  return decoded.kind === "binary"
    ? "not a text file"
    : `not UTF-8 text: byte offset ${decoded.offset}`;
}
