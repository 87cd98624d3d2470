import { execFileSync } from "node:child_process";
import {
  chmod,
  lstat,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { main } from "../../src/cli/main.js";

let dir: string;

function io(): CliIo & { out: string; err: string } {
  const captured = { out: "", err: "" };
  return Object.assign(captured, {
    stdout: (t: string) => void (captured.out += t),
    stderr: (t: string) => void (captured.err += t),
    cwd: dir,
    env: {},
  });
}

const pipeline = [
  "# Code review pipeline",
  "workflow:",
  "  name: review",
  "  steps:",
  "    - name: analyze",
  "      type: claude",
  "      prompt:",
  "        - type: static",
  '          content: "Review the change for defects."',
  "",
].join("\r\n");
const ciFile = "name: ci\non: push\njobs: {}\n";

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hp-cli-migrate-"));
  await writeFile(join(dir, "review.yaml"), pipeline);
  await writeFile(join(dir, "ci.yaml"), ciFile);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("hybrid-pipeline migrate", () => {
  it("prints a unified diff that git applies, and writes nothing", async () => {
    const cli = io();
    expect(await main(["migrate", "review.yaml", "ci.yaml"], cli)).toBe(0);
    expect(cli.out).toMatch(/^--- a\/review.yaml\n\+\+\+ b\/review.yaml\n@@ -6,4 \+6,24 @@\n/);
    expect(cli.out).toContain("+  dspy_config:\r\n");
    expect(cli.err).toBe(
      [
        "would migrate review.yaml (added dspy_config, hybrid_config; 1 signature)",
        "skipped ci.yaml: 1:1: not a pipeline_ex workflow: no top-level `workflow:` key (root keys: name, on, jobs) (a pipeline file has a top-level `workflow:` key with `name` and `steps`)",
        "2 files: 1 to migrate, 0 already migrated, 1 skipped (not pipeline files), 0 refused",
        "",
      ].join("\n"),
    );
    expect(await readFile(join(dir, "review.yaml"), "utf8")).toBe(pipeline);
    execFileSync("git", ["init", "-q"], { cwd: dir });
    execFileSync("git", ["apply", "--check", "-"], { cwd: dir, input: cli.out });
  });

  it("--write edits in place atomically, keeping the mode, and a second run changes nothing", async () => {
    await chmod(join(dir, "review.yaml"), 0o640);
    const first = io();
    expect(await main(["migrate", "--write", "review.yaml", "ci.yaml"], first)).toBe(0);
    expect(first.out).toContain(
      "migrated review.yaml (added dspy_config, hybrid_config; 1 signature)\n",
    );
    const written = await readFile(join(dir, "review.yaml"), "utf8");
    expect(written.startsWith(pipeline)).toBe(true);
    expect(written.endsWith("    fallback_enabled: true\r\n")).toBe(true);
    expect((await stat(join(dir, "review.yaml"))).mode & 0o777).toBe(0o640);
    expect(await readFile(join(dir, "ci.yaml"), "utf8")).toBe(ciFile);
    expect((await readdir(dir)).sort()).toEqual(["ci.yaml", "review.yaml"]);
    const second = io();
    expect(await main(["migrate", "--write", "review.yaml"], second)).toBe(0);
    expect(second.out).toBe(
      "already migrated review.yaml\n1 file: 0 migrated, 1 already migrated, 0 skipped (not pipeline files), 0 refused\n",
    );
  });

  it("--write through a symbolic link edits the target and keeps the link", async () => {
    await symlink("review.yaml", join(dir, "link.yaml"));
    expect(await main(["migrate", "--write", "link.yaml"], io())).toBe(0);
    expect((await lstat(join(dir, "link.yaml"))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, "review.yaml"), "utf8")).toContain("  hybrid_config:\r\n");
  });

  it("--check exits 1 while a file would change and 0 once migrated; skipped files do not fail it", async () => {
    const before = io();
    expect(await main(["migrate", "--check", "review.yaml", "ci.yaml"], before)).toBe(1);
    expect(before.out).toContain("would migrate review.yaml");
    expect(await readFile(join(dir, "review.yaml"), "utf8")).toBe(pipeline);
    await main(["migrate", "--write", "review.yaml"], io());
    expect(await main(["migrate", "--check", "review.yaml", "ci.yaml"], io())).toBe(0);
  });

  it("fails on a refused or unreadable file, which stays untouched, and still migrates the others", async () => {
    const broken = "workflow:\n  name: a\n  name: b\n  steps: []\n";
    await writeFile(join(dir, "broken.yaml"), broken);
    const cli = io();
    expect(
      await main(["migrate", "--write", "broken.yaml", "missing.yaml", "review.yaml"], cli),
    ).toBe(1);
    expect(cli.out).toContain("refused broken.yaml: 3:3: duplicate key in a map");
    expect(cli.out).toContain("unreadable missing.yaml: cannot read the file (ENOENT)\n");
    expect(cli.out).toContain(
      "3 files: 1 migrated, 0 already migrated, 0 skipped (not pipeline files), 2 refused\n",
    );
    expect(await readFile(join(dir, "broken.yaml"), "utf8")).toBe(broken);
    expect(await readFile(join(dir, "review.yaml"), "utf8")).not.toBe(pipeline);
  });

  it("reports a scaffold it cannot write and exits 1", async () => {
    await writeFile(join(dir, "training_data"), "a file where the directory should be\n");
    const cli = io();
    expect(await main(["migrate", "--write", "--scaffold-training-data", "review.yaml"], cli)).toBe(
      1,
    );
    expect(cli.out).toMatch(
      /^unwritable review.yaml: migrated, but cannot write training_data\/analyze.yaml \((EEXIST|ENOTDIR)\)\n/,
    );
    expect(await readFile(join(dir, "training_data"), "utf8")).toBe(
      "a file where the directory should be\n",
    );
  });

  it("refuses a file that is not UTF-8 text", async () => {
    await writeFile(join(dir, "latin1.yaml"), Buffer.from([0x77, 0x3a, 0xe9, 0x0a]));
    const cli = io();
    expect(await main(["migrate", "latin1.yaml"], cli)).toBe(1);
    expect(cli.err).toContain("unreadable latin1.yaml: not UTF-8 text: byte offset 2\n");
  });

  it("--scaffold-training-data creates one template per signature and never overwrites one", async () => {
    const cli = io();
    expect(await main(["migrate", "--write", "--scaffold-training-data", "review.yaml"], cli)).toBe(
      0,
    );
    const scaffold = await readFile(join(dir, "training_data/analyze.yaml"), "utf8");
    expect(scaffold).toContain(
      "# Training data for step `analyze` of workflow `review` (hybrid-pipeline).\n",
    );
    expect(scaffold.endsWith("\n[]\n")).toBe(true);
    await writeFile(join(dir, "review.yaml"), pipeline);
    await writeFile(join(dir, "training_data/analyze.yaml"), "- {input: a, output: b}\n");
    expect(
      await main(["migrate", "--write", "--scaffold-training-data", "review.yaml"], io()),
    ).toBe(0);
    expect(await readFile(join(dir, "training_data/analyze.yaml"), "utf8")).toBe(
      "- {input: a, output: b}\n",
    );
  });

  it("shows a scaffold as a new file in the diff", async () => {
    const cli = io();
    expect(await main(["migrate", "--scaffold-training-data", "review.yaml"], cli)).toBe(0);
    expect(cli.out).toContain("--- /dev/null\n+++ b/training_data/analyze.yaml\n");
    expect(await readdir(dir)).not.toContain("training_data");
  });

  it("exits 2 on usage errors", async () => {
    const none = io();
    expect(await main(["migrate"], none)).toBe(2);
    expect(none.err).toContain("give at least one FILE");
    const both = io();
    expect(await main(["migrate", "--write", "--check", "review.yaml"], both)).toBe(2);
    expect(both.err).toContain("--write and --check exclude each other");
    expect(await main(["migrate", "--bogus", "review.yaml"], io())).toBe(2);
  });

  it("documents the exit codes in --help", async () => {
    const cli = io();
    expect(await main(["migrate", "--help"], cli)).toBe(0);
    expect(cli.out).toContain("Exit codes: 0 done; 1 --check found a file to migrate");
  });
});
