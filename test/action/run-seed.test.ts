import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createEngineRunner } from "../../src/action/engine-runner.js";
import type { RunRequest } from "../../src/action/action-deps.js";
import { exampleDir, findings, loopYaml } from "../engine/hybrid/classify-fixture.js";

/** Runs the pipeline as the Action's runner does, in a job with this run id and attempt (no cache). */
async function actionRun(dir: string, runId: string, attempt = "1") {
  const loaded = await createEngineRunner(dir).load(path.join(dir, "wf.yaml"));
  if (!loaded.ok) throw new Error("the fixture pipeline must load");
  const request: RunRequest = {
    mode: null,
    provider: "sim",
    env: { GITHUB_RUN_ID: runId, GITHUB_RUN_ATTEMPT: attempt },
    cassetteDir: path.join(dir, "cassettes"),
    concurrency: 4,
    budgetUsd: null,
    compile: true,
    cacheDir: null,
    programsDir: null,
    secrets: [],
    redisUrl: null,
    onLog: () => {},
    onStepStarted: () => {},
  };
  return loaded.run(request);
}

const split = (r: Awaited<ReturnType<typeof actionRun>>) =>
  r.performance!.filter((p) => p.step === "classify_finding").map((p) => [p.route, p.n]);

describe("the Action's seed", () => {
  it("comes from the run id and attempt: two runs draw differently, a repeat of one draws the same", async () => {
    const dir = await exampleDir();
    await writeFile(
      path.join(dir, "wf.yaml"),
      loopYaml(findings(60), "performance_threshold: 0.5"),
    );
    const [a, b, again] = [
      await actionRun(dir, "9000001"),
      await actionRun(dir, "9000002"),
      await actionRun(dir, "9000001"),
    ];
    expect(a.seed_source).toBe("run_id");
    expect(a.seed).not.toBe(b.seed);
    expect(split(a)).not.toEqual(split(b));
    expect(again.seed).toBe(a.seed);
    expect(split(again)).toEqual(split(a));
  }, 60_000);
});
