import { appendFile, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { examplesDir, spawnCli } from "./spawn-cli.js";

const pipeline = "examples/code-review/classify_findings.yaml";
const data = "examples/code-review/training_data/classify_finding.jsonl";

/** The example with three bad records appended (lines 81–83 of its 80-line file). */
async function brokenExample(): Promise<string> {
  const dir = await examplesDir();
  await appendFile(
    path.join(dir, data),
    [
      '{"input": "Tabs and spaces are mixed.", "output": "typo"}',
      '{"input": 42, "output": "style"}',
      '{"input": "x", "output": ',
    ].join("\n") + "\n",
  );
  return dir;
}

const expectedProblems = [
  `${data}:81:1: error: \`output.category\` is "typo", not one of its options (bug, style, security, performance) (output fields: category)`,
  `${data}:82:1: error: \`input.finding\` is a number (42) but the signature's field is a string; quote it (input fields: finding)`,
  `${data}:83:1: error: not valid JSON`,
];

describe("training data checked against the signature", () => {
  it("run (hybrid) refuses broken training data before starting: each problem at path:line:col, exit 1", async () => {
    const dir = await brokenExample();
    const cli = await spawnCli(["run", pipeline, "--provider", "sim"], dir);
    const lines = cli.stderr.trimEnd().split("\n");
    expect(lines.slice(0, 2)).toEqual(expectedProblems.slice(0, 2));
    expect(lines[2]).toMatch(
      new RegExp(`^${expectedProblems[2]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
    );
    expect(lines[3]).toBe(
      `${pipeline}: error: 3 problem(s) in the training data (fix them, or run with --mode traditional, which reads none)`,
    );
    expect(cli.stdout).toBe("");
    expect(cli.code).toBe(1);
  });

  it("run --mode traditional reads no training data and runs", async () => {
    const dir = await brokenExample();
    const cli = await spawnCli(
      ["run", pipeline, "--provider", "sim", "--mode", "traditional", "--quiet"],
      dir,
    );
    expect(cli.code).toBe(0);
  });

  it("validate fails on the same problems, at the same positions", async () => {
    const dir = await brokenExample();
    const cli = await spawnCli(["validate", pipeline], dir);
    const lines = cli.stdout.split("\n").filter((l) => !l.startsWith("  hint:"));
    expect(lines[0]).toBe(expectedProblems[0]!.replace(/ \(output fields: category\)$/, ""));
    expect(lines[1]).toBe(expectedProblems[1]!.replace(/ \(input fields: finding\)$/, ""));
    expect(lines[2]).toMatch(
      /^examples\/code-review\/training_data\/classify_finding\.jsonl:83:1: error: not valid JSON/,
    );
    expect(cli.stdout).toContain("1 file: 0 valid, 1 invalid");
    expect(cli.code).toBe(1);
  });

  it("validate passes the untouched example", async () => {
    const dir = await examplesDir();
    const cli = await spawnCli(["validate", pipeline], dir);
    expect(cli.stdout).toBe("1 file: 1 valid, 0 invalid\n");
    expect(cli.code).toBe(0);
  });
});

describe("validate sees what only the files around the pipeline show", () => {
  const yaml = `workflow:
  name: refs
  steps:
    - name: read
      type: claude
      prompt:
        - type: file
          path: prompts/missing.md
        - type: file
          path: out/later.md
    - name: write
      type: claude
      output_to_file: later.md
      prompt: [{ type: static, content: "x" }]
    - name: child
      type: pipeline
      inputs: { topic: "caching" }
      pipeline:
        name: inner
        steps:
          - name: use
            type: claude
            prompt: [{ type: static, content: "{{inputs.topic}} and {{inputs.topci}}" }]
`;

  it("a missing prompt file and an input the nested pipeline is not given: errors at their line:col", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "refs-"));
    await writeFile(path.join(dir, "refs.yaml"), yaml);
    const cli = await spawnCli(["validate", "refs.yaml"], dir);
    expect(cli.stdout).toBe(
      [
        "refs.yaml:8:17: error: prompt file 'prompts/missing.md' does not exist",
        "  hint: paths are relative to the directory the pipeline runs in (--workdir, default: the current directory)",
        "refs.yaml:23:47: error: {{inputs.topci}} is not given by step 'child' (its inputs: topic)",
        "  hint: add 'topci' to that step's inputs:, or fix the name",
        "1 file: 0 valid, 1 invalid",
        "",
      ].join("\n"),
    );
    expect(cli.code).toBe(1);
  });

  it("run refuses a top-level {{inputs.x}} without --input x=…, and runs with it", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "inputs-"));
    await writeFile(
      path.join(dir, "p.yaml"),
      'workflow:\n  name: p\n  steps:\n    - { name: a, type: claude, prompt: [{ type: static, content: "{{inputs.topic}}" }] }\n',
    );
    const without = await spawnCli(["run", "p.yaml", "--provider", "sim", "--quiet"], dir);
    expect(without.stderr).toBe(
      "p.yaml: error: {{inputs.topic}} has no value (give --input topic=VALUE)\n",
    );
    expect(without.code).toBe(1);
    const given = await spawnCli(
      ["run", "p.yaml", "--provider", "sim", "--quiet", "--input", "topic=caching"],
      dir,
    );
    expect(given.code).toBe(0);
  });
});
