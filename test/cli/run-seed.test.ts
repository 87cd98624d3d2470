import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../src/report/index.js";
import { exampleDir, findings, loopYaml } from "../engine/hybrid/classify-fixture.js";

const projectRoot = path.resolve(import.meta.dirname, "../..");

async function cliRun(dir: string, out: string, extra: string[]): Promise<RunReport> {
  await promisify(execFile)(
    process.execPath,
    [
      path.join(projectRoot, "bin/hybrid-pipeline.js"),
      "run",
      "wf.yaml",
      "--provider",
      "sim",
      "--no-cache",
      "--quiet",
      "--report-json",
      out,
      ...extra,
    ],
    { cwd: dir, env: { PATH: process.env.PATH ?? "" } },
  );
  return JSON.parse(await readFile(path.join(dir, out), "utf8")) as RunReport;
}

/** What a run's seed decides: each step's route and reason, and the executions per route. */
const routes = (r: RunReport) => ({
  steps: r.steps.map((s) => [s.name, s.route, s.decision.reason]),
  performance: r.performance,
});

describe("run --seed", () => {
  it("draws a random seed when none is given, records it, and --seed with it repeats the run's routes", async () => {
    const dir = await exampleDir();
    await writeFile(
      path.join(dir, "wf.yaml"),
      loopYaml(findings(40), "performance_threshold: 0.3"),
    );
    const first = await cliRun(dir, "first.json", []);
    const second = await cliRun(dir, "second.json", []);
    expect(first.seed_source).toBe("random");
    expect(first.seed).not.toBe(second.seed);
    const again = await cliRun(dir, "again.json", ["--seed", String(first.seed)]);
    expect(again).toMatchObject({ seed: first.seed, seed_source: "option" });
    expect(routes(again)).toEqual(routes(first));
    // The canary's allocation is what the seed draws: 40 inputs split the same way, arm by arm.
    const split = (r: RunReport) =>
      r.performance!.filter((p) => p.step === "classify_finding").map((p) => [p.route, p.n]);
    expect(split(again)).toEqual(split(first));
  }, 60_000);

  it("refuses a seed that is not an unsigned 32-bit integer", async () => {
    const dir = await exampleDir();
    await writeFile(path.join(dir, "wf.yaml"), loopYaml(findings(1)));
    await expect(cliRun(dir, "r.json", ["--seed", "1.5"])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--seed must be an integer from 0 to 4294967295, not '1.5'"),
    });
  });
});
