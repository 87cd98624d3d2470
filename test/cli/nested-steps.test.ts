import { copyFile, mkdir, mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../src/report/index.js";
import { projectRoot, spawnCli } from "./spawn-cli.js";

const fixture = path.join(
  projectRoot,
  "test/fixtures/pipelines/nested-routing/nested_routing.yaml",
);
const labelled = path.join(
  projectRoot,
  "examples/code-review/training_data/classify_finding.jsonl",
);

async function workdir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "nested-"));
  await copyFile(fixture, path.join(dir, "nested_routing.yaml"));
  await mkdir(path.join(dir, "training_data"));
  for (const step of ["classify_finding", "classify_again", "classify_inner", "classify_fan"])
    await copyFile(labelled, path.join(dir, "training_data", `${step}.jsonl`));
  return dir;
}

describe("LLM steps inside loops, nested pipelines and parallel_claude are routed and reported", () => {
  it("hybrid: one steps[] entry per nested step, qualified with its parent, summed over its runs", async () => {
    const dir = await workdir();
    const cli = await spawnCli(
      [
        "run",
        "nested_routing.yaml",
        "--provider",
        "sim",
        "--quiet",
        "--no-cache",
        "--report-json",
        "r.json",
      ],
      dir,
    );
    expect(cli.stderr).toBe("");
    expect(cli.code).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, "r.json"), "utf8")) as RunReport;
    expect(report.steps.map((s) => [s.name, s.route, s.status, s.runs ?? null])).toEqual([
      ["init", "traditional", "success", null],
      ["each", "traditional", "success", null],
      ["each/classify_finding", "optimized", "success", 3],
      ["again", "traditional", "success", null],
      ["again/classify_again", "optimized", "success", 2],
      ["inner", "traditional", "success", null],
      ["inner/classify_inner", "optimized", "success", 1],
      ["classify_fan", "traditional", "success", null],
      ["classify_fan/one", "optimized", "success", 1],
      ["classify_fan/two", "optimized", "success", 1],
    ]);
    const byName = new Map(report.steps.map((s) => [s.name, s]));
    // A loop's own row counts every call made inside it; its nested entry holds the same calls.
    for (const [parent, child] of [
      ["each", "each/classify_finding"],
      ["again", "again/classify_again"],
      ["inner", "inner/classify_inner"],
    ] as const) {
      expect(byName.get(child)!.metrics.input_tokens).toBe(
        byName.get(parent)!.metrics.input_tokens,
      );
      expect(byName.get(child)!.metrics.input_tokens).toBeGreaterThan(0);
    }
    const tasks = ["classify_fan/one", "classify_fan/two"].map((n) => byName.get(n)!.metrics);
    expect(tasks[0]!.output_tokens + tasks[1]!.output_tokens).toBe(
      byName.get("classify_fan")!.metrics.output_tokens,
    );
    expect(byName.get("each")!.decision.reason).toBe(
      "runs the steps inside it, reported as each/classify_finding",
    );
    expect(report.steps.some((s) => s.decision.reason.includes("traditional mode"))).toBe(false);
    // The performance monitor saw each execution: 3 loop iterations of classify_finding.
    expect(report.performance?.find((p) => p.step === "classify_finding")?.n).toBe(3);
  });

  it("traditional: the same entries, every route traditional", async () => {
    const dir = await workdir();
    const cli = await spawnCli(
      [
        "run",
        "nested_routing.yaml",
        "--provider",
        "sim",
        "--quiet",
        "--no-cache",
        "--mode",
        "traditional",
        "--report-json",
        "r.json",
      ],
      dir,
    );
    expect(cli.code).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, "r.json"), "utf8")) as RunReport;
    expect(
      report.steps.filter((s) => s.name.includes("/")).map((s) => [s.name, s.route, s.runs]),
    ).toEqual([
      ["each/classify_finding", "traditional", 3],
      ["again/classify_again", "traditional", 2],
      ["inner/classify_inner", "traditional", 1],
      ["classify_fan/one", "traditional", 1],
      ["classify_fan/two", "traditional", 1],
    ]);
  });
});
