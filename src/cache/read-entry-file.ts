import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { CacheTierError } from "./cache-tier.js";

/** What sits at an entry's path: its text, nothing, or something a reader must not read. */
export type EntryFile =
  | { kind: "text"; text: string }
  | { kind: "missing" }
  | { kind: "refused"; reason: string; removable: boolean };

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/**
 * Opens an entry without following a symlink and without blocking on a FIFO, then checks with
 * fstat that it is a regular file no larger than `maxBytes` before reading a byte: a link to
 * `/dev/zero` or a huge file is refused, not read into memory (issue 16). Any other failure
 * (permissions, I/O) rejects with a CacheTierError that concerns this entry only.
 */
export async function readEntryFile(path: string, maxBytes: number): Promise<EntryFile> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT") return { kind: "missing" };
    if (code === "ELOOP") return { kind: "refused", reason: "a symbolic link", removable: true };
    if (code === "ENOTDIR")
      return { kind: "refused", reason: "its prefix is not a directory", removable: false };
    throw new CacheTierError("disk", "io", `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
      scope: "operation",
    });
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { kind: "refused", reason: "a directory", removable: false };
    if (!info.isFile()) return { kind: "refused", reason: "not a regular file", removable: true };
    if (info.size > maxBytes)
      return {
        kind: "refused",
        reason: `${info.size} bytes, over the ${maxBytes}-byte entry cap`,
        removable: true,
      };
    // One read of the size fstat gave (entries are renamed into place whole, never grown).
    const buffer = Buffer.allocUnsafe(info.size);
    const { bytesRead } = await handle.read(buffer, 0, info.size, 0);
    return { kind: "text", text: buffer.toString("utf8", 0, bytesRead) };
  } catch (error) {
    throw new CacheTierError("disk", "io", `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
      scope: "operation",
    });
  } finally {
    await handle.close();
  }
}
