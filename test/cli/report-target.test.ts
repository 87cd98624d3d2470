import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { examplesDir, spawnCli } from "./spawn-cli.js";

const pipeline = "examples/code-review/classify_findings.yaml";
const trainingFile = "examples/code-review/training_data/classify_finding.jsonl";

describe("run --report-json TARGET is checked before the run starts", () => {
  it.each([
    ["a directory", "examples", "it is a directory"],
    ["a /proc file", "/proc/self/status", "it is on a pseudo file system (/proc, /sys, /dev)"],
    [
      "a new file under /proc",
      "/proc/report.json",
      "it is on a pseudo file system (/proc, /sys, /dev)",
    ],
    ["a path below a regular file", `${pipeline}/report.json`, `${pipeline} is not a directory`],
  ])("refuses %s with one line and exit 2, running nothing", async (_what, target, reason) => {
    const dir = await examplesDir();
    const cli = await spawnCli(
      ["run", pipeline, "--provider", "sim", "--report-json", target],
      dir,
    );
    expect(cli.stderr).toBe(
      `hybrid-pipeline run: --report-json ${target}: ${reason}; give a new file path\n`,
    );
    expect(cli.stdout).toBe("");
    expect(cli.code).toBe(2);
  });

  it.each([
    ["the pipeline file", pipeline, `it is an input of this run (${pipeline})`],
    [
      "its training data",
      trainingFile,
      "it is inside an input of this run (examples/code-review/training_data)",
    ],
  ])("refuses %s and overwrites nothing", async (_what, target, reason) => {
    const dir = await examplesDir();
    const before = await readFile(path.join(dir, target), "utf8");
    const cli = await spawnCli(
      ["run", pipeline, "--provider", "sim", "--report-json", target],
      dir,
    );
    expect(cli.stderr).toBe(
      `hybrid-pipeline run: --report-json ${target}: ${reason}; it would be overwritten; give a new file path\n`,
    );
    expect(cli.code).toBe(2);
    expect(await readFile(path.join(dir, target), "utf8")).toBe(before);
  });

  it("writes a report to a new path, creating its directory", async () => {
    const dir = await examplesDir();
    const cli = await spawnCli(
      ["run", pipeline, "--provider", "sim", "--quiet", "--report-json", "out/new/report.json"],
      dir,
    );
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain("report written to out/new/report.json");
    const report = JSON.parse(await readFile(path.join(dir, "out/new/report.json"), "utf8"));
    expect(report.workflow).toBe("classify_findings");
  });
});
