import { copyFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { examplesDir, projectRoot, spawnCli, spawnShell } from "./spawn-cli.js";

const pipeline = "examples/code-review/classify_findings.yaml";

/** `$HP args | reader`, with the CLI's own exit code (PIPESTATUS) on the last stderr line. */
const piped = (args: string, reader: string) =>
  `$HP ${args} | ${reader}; echo "exit \${PIPESTATUS[0]}" >&2`;

describe("output into a pipe the reader closed (… | head -1)", () => {
  it("validate of many files: head -1 gets the first line, no EPIPE stack trace", async () => {
    const dir = await examplesDir();
    await copyFile(
      path.join(projectRoot, "test/fixtures/pipelines/invalid/unknown-step-type.yaml"),
      path.join(dir, "bad.yaml"),
    );
    // ~300 KB of problem lines: far more than a pipe buffer, so writes go on after head has exited.
    const many = Array.from({ length: 2000 }, () => "bad.yaml").join(" ");
    const shell = await spawnShell(piped(`validate ${many}`, "head -1"), dir);
    expect(shell.stdout).toBe("bad.yaml:6:13: error: unknown step type 'claude_magic'\n");
    expect(shell.stderr).toBe("exit 1\n");
  });

  it.each([
    ["run", `run ${pipeline} --provider sim --quiet --report-json out/report.json`],
    ["report", "report out/report.json"],
    ["cache list", "cache list"],
  ])(
    "%s into a reader that is already gone exits with its own code and says nothing",
    async (_name, args) => {
      const dir = await examplesDir();
      const first = await spawnCli(
        ["run", pipeline, "--provider", "sim", "--quiet", "--report-json", "out/report.json"],
        dir,
      );
      expect(first.code).toBe(0);
      // `true` exits at once: every write the CLI makes meets a closed pipe.
      const shell = await spawnShell(piped(args, "true"), dir);
      expect(shell.stderr).toBe("exit 0\n");
    },
  );

  it("run still writes its report when stdout is gone", async () => {
    const dir = await examplesDir();
    const shell = await spawnShell(
      piped(`run ${pipeline} --provider sim --quiet --report-json r.json`, "true") +
        " && test -s r.json && echo written >&2",
      dir,
    );
    expect(shell.stderr).toBe("exit 0\nwritten\n");
  });
});
