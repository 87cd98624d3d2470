import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatDataProblem, loadTrainingData, resolveSignature } from "../../src/optimize/index.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "training-data-name-"));
  await mkdir(join(dir, "training_data"));
  // A readable file just outside the training-data directory: what a crafted step name would reach.
  await writeFile(
    join(dir, "outside.jsonl"),
    JSON.stringify({ input: "secret", output: "x" }) + "\n",
  );
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const signature = resolveSignature({ name: "s", signature: "text -> label" }, {})!;

describe("loadTrainingData with a step name that is not a plain file name", () => {
  it.each([
    ["../outside", "contains a path separator"],
    ["..\\outside", "contains a path separator"],
    ["..", "contains '..'"],
  ])("rejects step '%s' without reading outside the directory", async (step, why) => {
    const data = await loadTrainingData({ workdir: dir, path: "training_data", step, signature });
    expect(data.kind).toBe("invalid");
    expect(data.kind === "invalid" && data.problems.map(formatDataProblem)).toEqual([
      `training_data:1:1: error: step name '${step}' ${why}, so it cannot name a training-data file in 'training_data' (rename the step without '/', '\\' or '..', or set training_data_path to one file that maps step names to their records)`,
    ]);
  });

  it("still finds such a step under its key in a single training-data file", async () => {
    await writeFile(
      join(dir, "all.yaml"),
      ["a/b:", "  - input: hello", "    output: greeting", ""].join("\n"),
    );
    const data = await loadTrainingData({ workdir: dir, path: "all.yaml", step: "a/b", signature });
    expect(data.kind === "loaded" && data.examples).toEqual([
      {
        id: expect.stringMatching(/^sha256:/),
        inputs: { text: "hello" },
        outputs: { label: "greeting" },
      },
    ]);
  });
});
