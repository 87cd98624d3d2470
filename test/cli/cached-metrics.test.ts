import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../src/report/index.js";
import { spawnCli } from "./spawn-cli.js";

/** A loop whose third iteration repeats the first's prompt: the LM-call cache serves it within the run. */
const pipeline = `workflow:
  name: loop_cache
  global_vars:
    words: [alpha, beta, alpha]
  steps:
    - name: each
      type: for_loop
      iterator: word
      data_source: global_vars.words
      steps:
        - name: echo
          type: claude
          prompt:
            - type: static
              content: "Repeat the word {{loop.word}}."
`;

/** Runs the pipeline over the shared cache dir: the report, and the progress lines `run` printed on stderr. */
async function run(dir: string, n: number): Promise<RunReport & { progress: string[] }> {
  const cli = await spawnCli(
    [
      "run",
      "loop.yaml",
      "--provider",
      "sim",
      "--cache-dir",
      ".cache",
      "--report-json",
      `r${n}.json`,
    ],
    dir,
  );
  expect(cli.code).toBe(0);
  const report = JSON.parse(await readFile(path.join(dir, `r${n}.json`), "utf8")) as RunReport;
  return { ...report, progress: cli.stderr.trimEnd().split("\n") };
}

describe("a cached answer keeps the latency and cost of the call that produced it", () => {
  it("cold run partly cached (no flag), warm run all cached (cached: true) with the cold figures, spend 0", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cached-metrics-"));
    await writeFile(path.join(dir, "loop.yaml"), pipeline);
    const cold = await run(dir, 1);
    const warm = await run(dir, 2);

    // Cold: alpha, beta sent; the second alpha served by the cache, so the step is only partly cached.
    expect(cold.lm_calls.step).toBe(2);
    expect(cold.cache.hits.memory).toBe(1);
    expect(cold.steps.map((s) => [s.name, s.metrics.cached ?? null])).toEqual([
      ["each", null],
      ["each/echo", null],
    ]);
    const coldEach = cold.steps[0]!.metrics;
    expect(coldEach.latency_ms).toBeGreaterThan(0);
    // The step's cost counts the served alpha at its original price; the run paid only what it sent.
    expect(coldEach.cost_usd!).toBeGreaterThan(cold.budget.spent_usd);
    expect(cold.budget.spent_usd).toBeGreaterThan(0);
    expect(cold.progress).toEqual([
      `✓ each  traditional  ${(coldEach.latency_ms / 1000).toFixed(1)} s  ${coldEach.input_tokens}→${coldEach.output_tokens} tok  $${coldEach.cost_usd!.toFixed(4)}`,
    ]);

    // Warm: nothing sent or paid, and every step reports the figures of the calls that produced its answers.
    expect(warm.lm_calls).toEqual({ step: 0, optimize: 0, evaluate: 0, judge: 0 });
    expect(warm.budget.spent_usd).toBe(0);
    expect(warm.cache.misses).toBe(0);
    expect(warm.progress).toEqual([`${cold.progress[0]} (cached)`]);
    expect(warm.steps.map((s) => [s.name, s.metrics])).toEqual(
      cold.steps.map((s) => [s.name, { ...s.metrics, cached: true }]),
    );
  });
});
