import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { decodeEntry } from "../../src/cache/index.js";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const writer = join(import.meta.dirname, "fixtures", "disk-writer.mjs");
const KEY = "cd".repeat(32);

describe("disk tier across processes", () => {
  it("leaves one valid entry and no torn or temp file when two processes write one key", async () => {
    expect(
      existsSync(join(root, "lib/src/cache/index.js")),
      "build lib/ first: npx tsc -p tsconfig.build.json (npm test does)",
    ).toBe(true);
    const dir = await mkdtemp(join(tmpdir(), "hp-disk-procs-"));
    try {
      const [a, b] = await Promise.all(
        ["a", "b"].map((who) =>
          run(process.execPath, [writer, dir, KEY, who, "40"], { cwd: root }),
        ),
      );
      expect(JSON.parse(a!.stdout)).toEqual({ torn: 0, corrupt: 0, read: true });
      expect(JSON.parse(b!.stdout)).toEqual({ torn: 0, corrupt: 0, read: true });
      const files = await readdir(join(dir, "v1", "cd"));
      expect(files).toEqual([`${KEY}.json`]);
      const decoded = decodeEntry(await readFile(join(dir, "v1", "cd", files[0]!), "utf8"), KEY);
      expect(decoded.kind).toBe("ok");
      const value =
        decoded.kind === "ok"
          ? (decoded.entry.value as { who: string; payload: string })
          : undefined;
      expect(["a", "b"]).toContain(value?.who);
      expect(value?.payload).toBe(value?.who.repeat(1_000_000));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
