import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionDeps } from "../../src/action/action-deps.js";
import { createEngineRunner } from "../../src/action/engine-runner.js";
import { runAction } from "../../src/action/run-action.js";
import { noCacheService, recordingCore } from "./action-harness.js";

// runAction in-process on the sources (dist-e2e.test.ts runs the committed bundle): real engine with `sim`,
// a core that records what the runner would receive.
let workspace: string;
let log: string[];

function deps(inputs: Record<string, string>): ActionDeps {
  return {
    core: recordingCore(inputs, (line) => void log.push(line)),
    writeSummary: async (markdown) => void log.push(`summary ${markdown.split("\n")[0]}`),
    writeFile: async (path, text) => {
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(path, text);
    },
    readFile: (path) => readFile(path, "utf8"),
    env: { GITHUB_RUN_ID: "9", RUNNER_OS: "Linux" },
    workspace,
    event: { name: "push", payload: {} },
    cacheApi: noCacheService,
    github: () => Promise.reject(new Error("no GitHub call expected on push")),
    runner: createEngineRunner(workspace),
    uptimeMs: () => 123,
  };
}

beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), "hp-run-action-"));
  log = [];
  await mkdir(join(workspace, "pipelines"));
  const steps = ["first", "second"].map(
    (name) =>
      `    - name: ${name}\n      type: claude\n      prompt:\n        - type: static\n          content: "Say ${name}."\n`,
  );
  await writeFile(
    join(workspace, "pipelines/two.yaml"),
    `workflow:\n  name: two_steps\n  steps:\n${steps.join("")}`,
  );
});
afterEach(() => rm(workspace, { recursive: true, force: true }));

describe("runAction", () => {
  it("groups each workflow with a line per step, and writes the report, summary and outputs", async () => {
    const result = await runAction(
      deps({
        workflows: "pipelines/*.yaml",
        provider: "sim",
        "github-token": "ghs_secret_token",
        "report-path": "r/report.json",
      }),
    );
    expect(result.kind).toBe("succeeded");
    const group = log.slice(
      log.indexOf("group hybrid-pipeline · pipelines/two.yaml"),
      log.indexOf("endgroup") + 1,
    );
    expect(
      group.map((l) => l.replace(/\d+ ms · \d+\+\d+ tokens · \$[\d.]+/, "N ms · T tokens · $C")),
    ).toEqual([
      "group hybrid-pipeline · pipelines/two.yaml",
      "info first step (first) starting 123 ms after process start",
      "info two_steps · mode traditional (default) · provider sim (simulated) · success",
      "info first [claude] success · route traditional · N ms · T tokens · $C",
      "info second [claude] success · route traditional · N ms · T tokens · $C",
      "info LM calls: step 2, optimize 0, evaluate 0, judge 0",
      "endgroup",
    ]);
    expect(log[0]).toBe("mask 16 chars");
    expect(log).toContain(
      "warning Running without the disk cache tier: the GitHub cache service is not available to this job",
    );
    expect(log.filter((l) => l.startsWith("output ")).map((l) => l.split("=")[0])).toEqual([
      "output report-path",
      "output mode",
      "output quality-delta",
      "output cost-usd",
      "output recommendation",
      "output comment-url",
      "output programs-dir",
    ]);
    const written = JSON.parse(await readFile(join(workspace, "r/report.json"), "utf8")) as Array<{
      workflow: string;
    }>;
    expect(written.map((r) => r.workflow)).toEqual(["two_steps"]);
    expect(log.some((l) => l.includes("ghs_secret_token"))).toBe(false);
  });

  it("fails the step listing every invalid input, before running anything", async () => {
    const result = await runAction(
      deps({ workflows: "pipelines/*.yaml", shard: "5/2", concurrency: "many" }),
    );
    expect(result).toEqual({
      kind: "failed",
      reason:
        "Invalid inputs:\ninput 'concurrency' is 'many': write a whole number ≥ 1\ninput 'shard' is '5/2': write i/n with 1 ≤ i ≤ n, e.g. 2/4",
    });
    expect(log).toEqual([`failed ${result.kind === "failed" ? result.reason : ""}`]);
  });

  it("compiles a step's program when the cache has none, unless compile is false: then it falls back and says why", async () => {
    const signed = `workflow:
  name: signed
  steps:
    - name: label
      type: claude
      signature: "ticket -> label"
      metric: exact_match
      prompt: [{ type: static, content: "Label this ticket as bug or feature: the app crashes." }]
  dspy_config: { training_data_path: training_data }
  hybrid_config: { mode: dspy_optimized }
`;
    await writeFile(join(workspace, "pipelines/two.yaml"), signed);
    await mkdir(join(workspace, "training_data"));
    await writeFile(
      join(workspace, "training_data/label.jsonl"),
      [
        "crashes on start:bug",
        "add dark mode:feature",
        "error 500 on save:bug",
        "export to csv:feature",
      ]
        .map((r) => JSON.stringify({ input: r.split(":")[0], output: r.split(":")[1] }))
        .join("\n"),
    );
    const read = async () =>
      (
        JSON.parse(await readFile(join(workspace, "r.json"), "utf8")) as Array<{
          lm_calls: { optimize: number };
          steps: Array<{ route: string; fallback: unknown }>;
        }>
      )[0]!;

    expect(
      (
        await runAction(
          deps({ workflows: "pipelines/*.yaml", provider: "sim", "report-path": "r.json" }),
        )
      ).kind,
    ).toBe("succeeded");
    const compiled = await read();
    expect(compiled.lm_calls.optimize).toBeGreaterThan(0);
    expect(compiled.steps[0], JSON.stringify(compiled.steps[0])).toMatchObject({
      route: "optimized",
    });

    expect(
      (
        await runAction(
          deps({
            workflows: "pipelines/*.yaml",
            provider: "sim",
            "report-path": "r.json",
            compile: "false",
          }),
        )
      ).kind,
    ).toBe("succeeded");
    const cachedOnly = await read();
    expect(cachedOnly.lm_calls.optimize).toBe(0);
    expect(cachedOnly.steps[0]).toMatchObject({
      route: "traditional",
      fallback: {
        reason: "dspy_unavailable",
        detail:
          "no fresh compiled program of step 'label' in the cache, and compiling is off for this run",
      },
    });
  });

  it("succeeds with a warning when this shard has no files", async () => {
    const result = await runAction(deps({ workflows: "pipelines/*.yaml", shard: "2/2" }));
    expect(result).toEqual({ kind: "succeeded", reports: [] });
    expect(log).toContain("warning No pipeline files matched pipelines/*.yaml (shard 2/2).");
  });
});
