import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { spawnCli } from "./spawn-cli.js";

const latin1 = Buffer.concat([
  Buffer.from("workflow:\n  name: caf"),
  Buffer.from([0xe9]),
  Buffer.from("\n  steps: []\n"),
]);
// A gzip header and a few compressed bytes: what `validate *.gz` or a stray binary meets.
const binary = Buffer.from([
  0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48,
]);

async function withFile(name: string, bytes: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "text-input-"));
  await writeFile(path.join(dir, name), bytes);
  return dir;
}

describe("files that are not UTF-8 text are refused alike by validate, run and migrate", () => {
  it.each([
    ["not UTF-8", "latin1.yaml", latin1, "2:12", "not UTF-8 text: byte offset 21"],
    ["binary", "blob.yaml", binary, "1:1", "not a text file"],
  ])("%s: one line each", async (_what, name, bytes, at, message) => {
    const dir = await withFile(name, bytes);
    const validate = await spawnCli(["validate", name], dir);
    expect(validate.stdout.split("\n")[0]).toBe(`${name}:${at}: error: ${message}`);
    expect(validate.stdout).toContain("1 file: 0 valid, 1 invalid");
    expect(validate.code).toBe(1);

    const run = await spawnCli(["run", name, "--provider", "sim"], dir);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`^${name}:${at}: error: ${message} \\(`));
    expect(run.stdout).toBe("");
    expect(run.code).toBe(1);

    const migrate = await spawnCli(["migrate", name], dir);
    expect(migrate.stderr).toContain(`unreadable ${name}: ${message}\n`);
    expect(migrate.code).toBe(1);
  });
});
