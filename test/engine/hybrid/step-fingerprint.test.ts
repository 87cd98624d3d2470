import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../../src/report/index.js";
import { examplesDir, spawnCli } from "../../cli/spawn-cli.js";

const pipeline = "examples/code-review/classify_findings.yaml";

/** Runs the example with sim and returns its one step's fingerprint from the report JSON. */
async function fingerprintOf(dir: string) {
  const run = await spawnCli(
    ["run", pipeline, "--provider", "sim", "--report-json", "r.json"],
    dir,
  );
  expect(run.code).toBe(0);
  const report = JSON.parse(await readFile(path.join(dir, "r.json"), "utf8")) as RunReport;
  return report.steps[0]!.fingerprint;
}

describe("steps[].fingerprint", () => {
  it("hashes the prompt's template text, not the inputs rendered into it; a new instruction changes only the prompt part", async () => {
    const dir = await examplesDir();
    const file = path.join(dir, pipeline);
    const yaml = await readFile(file, "utf8");
    const first = await fingerprintOf(dir);
    expect(first).toEqual({
      prompt: expect.stringMatching(/^[0-9a-f]{12}$/),
      signature: expect.stringMatching(/^[0-9a-f]{12}$/),
      training_data: expect.stringMatching(/^[0-9a-f]{12}$/),
      program: expect.stringMatching(/^[0-9a-f]{12}$/),
    });

    const finding = "    finding: Query built by string concatenation";
    expect(yaml).toContain(finding);
    await writeFile(file, yaml.replace(finding, "    finding: A loop reads one past the end, and"));
    expect(await fingerprintOf(dir)).toEqual(first);

    const instruction = "Classify the code-review finding below.";
    expect(yaml).toContain(instruction);
    await writeFile(file, yaml.replace(instruction, "Name the category of the finding below."));
    const edited = await fingerprintOf(dir);
    expect(edited!.prompt).not.toBe(first!.prompt);
    expect({ ...edited, prompt: null, program: null }).toEqual({
      ...first,
      prompt: null,
      program: null,
    });
  });
});
