import { inflateRawSync } from "node:zlib";

/** A zip archive the bot cannot read (truncated, encrypted, ZIP64, or an unknown compression). */
export class ZipError extends Error {
  readonly code = "bad_zip";
  constructor(message: string) {
    super(message);
    this.name = "ZipError";
  }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function endOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end (APPNOTE 4.3.16).
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--)
    if (zip.readUInt32LE(at) === EOCD) return at;
  throw new ZipError("not a zip archive (no end of central directory record)");
}

/** Inflates at most the declared size (+1 to notice a lie): a zip bomb stops there. */
function inflate(name: string, data: Buffer, size: number): Buffer {
  try {
    return inflateRawSync(data, { maxOutputLength: size + 1 });
  } catch (error) {
    throw new ZipError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The files of a zip archive (stored or deflated entries, as GitHub's artifact zips hold), by path.
 * Hand-written over node:zlib because no zip reader is among the dependencies and the bot needs only
 * this much of the format (PKWARE APPNOTE.TXT sections 4.3.7, 4.3.12, 4.3.16). Directories are skipped.
 * @throws ZipError for anything else (encryption, ZIP64, other compression methods, truncation).
 */
export function readZip(bytes: Uint8Array): Map<string, Buffer> {
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (zip.length < 22) throw new ZipError("not a zip archive (too short)");
  const eocd = endOfCentralDirectory(zip);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) throw new ZipError("ZIP64 archives are not supported");
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL)
      throw new ZipError(`central directory entry ${i + 1} is damaged`);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith("/")) continue;
    if (flags & 1) throw new ZipError(`${name}: encrypted entries are not supported`);
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL)
      throw new ZipError(`${name}: local header is damaged`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressed);
    if (data.length !== compressed) throw new ZipError(`${name}: truncated`);
    if (method !== 0 && method !== 8)
      throw new ZipError(`${name}: compression method ${method} is not supported`);
    const content = method === 0 ? Buffer.from(data) : inflate(name, data, size);
    if (content.length !== size) throw new ZipError(`${name}: size does not match`);
    files.set(name, content);
  }
  return files;
}
