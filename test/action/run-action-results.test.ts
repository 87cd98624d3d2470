import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ActionDeps } from "../../src/action/action-deps.js";
import { createEngineRunner } from "../../src/action/engine-runner.js";
import { createGithubClient } from "../../src/action/github-client.js";
import { failures } from "../../src/action/outputs.js";
import { runAction } from "../../src/action/run-action.js";
import { noCacheService, recordingCore } from "./action-harness.js";
import { buildAbBlock } from "../../src/report/index.js";
import { type RunReport } from "../../src/report/index.js";
import { renderMarkdownReport } from "../../src/render/index.js";
import { startFakeGithub, type FakeGithub } from "../support/fake-github.js";
import { abBlock, report, step } from "../support/report-fixtures.js";
import { shardedRun } from "../support/sharded-run.js";

// What a job sees of merged shards, fail-on, the outputs and a budget stop: runAction in-process with the
// real engine (sim) and GitHub faked on the wire (loopback), on a pull_request event. Only one test posts a
// comment: the throttling plugin spaces comment writes 3 s apart across every client in the process.
let github: FakeGithub;
let workspace: string;
let log: string[];
let summaries: string[];
let pullRequest: number;

function deps(inputs: Record<string, string>): ActionDeps {
  return {
    core: recordingCore(
      { "github-token": "ghs_job_token", ...inputs },
      (line) => void log.push(line),
    ),
    writeSummary: async (markdown) => void summaries.push(markdown),
    writeFile: async (path, text) => {
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(path, text);
    },
    readFile: (path) => readFile(path, "utf8"),
    env: {
      GITHUB_REPOSITORY: "octo/app",
      GITHUB_RUN_ID: "7",
      GITHUB_RUN_ATTEMPT: "2",
      GITHUB_SERVER_URL: "https://github.com",
      RUNNER_OS: "Linux",
    },
    workspace,
    event: { name: "pull_request", payload: { pull_request: { number: pullRequest } } },
    cacheApi: noCacheService,
    github: (token) =>
      createGithubClient(token, (message) => void log.push(`warning ${message}`), github.url),
    runner: createEngineRunner(workspace),
    uptimeMs: () => 100,
  };
}

async function writeReports(files: Record<string, RunReport[]>): Promise<void> {
  for (const [path, reports] of Object.entries(files)) {
    await mkdir(join(workspace, path, ".."), { recursive: true });
    await writeFile(join(workspace, path), JSON.stringify(reports));
  }
}

const comments = () =>
  github.repo("octo", "app").comments.filter((c) => c.issueNumber === pullRequest);
const outputs = () =>
  Object.fromEntries(
    log
      .filter((l) => l.startsWith("output "))
      .map((l) => l.slice("output ".length).split("=") as [string, string]),
  );
/** The table row of `stepName` as the renderer draws it for `reports`. */
const rowOf = (reports: RunReport[], stepName: string) =>
  renderMarkdownReport(reports)
    .split("\n")
    .find((l) => l.startsWith(`| ${stepName} |`))!;

beforeAll(async () => {
  github = await startFakeGithub();
  github.createRepo({ owner: "octo", repo: "app" });
});
afterAll(() => github.close());
beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), "hp-results-"));
  log = [];
  summaries = [];
  pullRequest = github.createIssue("octo", "app", "Change the prompts");
});
afterEach(() => rm(workspace, { recursive: true, force: true }));

describe("report-only use over a matrix's shards", () => {
  it("posts one table per workflow whose statistics are those of all the shards' pairs", async () => {
    const { shards, single } = shardedRun("binary");
    await writeReports({
      "reports/report-1.json": [shards[0]!],
      "reports/report-2.json": [shards[1]!, shards[2]!],
    });

    const result = await runAction(
      deps({
        report: "reports/*.json",
        "report-path": "merged.json",
        "report-url": "https://github.com/octo/app/actions/runs/7/artifacts/42",
      }),
    );

    expect(result.kind).toBe("succeeded");
    expect(comments()).toHaveLength(1);
    const body = comments()[0]!.body;
    expect(body).toContain(
      "> [workflow run](https://github.com/octo/app/actions/runs/7/attempts/2) · [report JSON](https://github.com/octo/app/actions/runs/7/artifacts/42) · ",
    );
    // The summary is the comment's content without the comment's size limit.
    expect(summaries).toEqual([body]);
    expect(body.match(/^### /gm)).toEqual(["### "]);
    const analyze = rowOf([single], "analyze");
    expect(analyze.split(" | ")[4]).toBe("60");
    expect(body).toContain(analyze);
    expect(shards.map((s) => s.steps[0]!.ab!.n)).toEqual([20, 20, 20]);
    expect(body).toContain(
      "> 3 reports merged into 1: shards of the same workflow and file, A/B statistics recomputed from all their pairs.",
    );
    const merged = JSON.parse(
      await readFile(join(workspace, "merged.json"), "utf8"),
    ) as RunReport[];
    expect(merged.map((r) => r.steps[0]!.ab)).toEqual([single.steps[0]!.ab]);
    expect(outputs()).toMatchObject({
      "report-path": "merged.json",
      "quality-delta": single.steps[0]!.ab!.delta.toFixed(4),
      recommendation: single.steps[0]!.ab!.recommendation,
    });
  });

  it("fails under fail-on regression when only the merged statistics show a regression, naming the workflow and step", async () => {
    // Per shard: 1 win, 5 losses in 20 pairs (paired t p 0.10, CI reaching above 0); merged: 2 wins, 10 losses in 40 (p 0.019).
    const pairs = Array.from({ length: 40 }, (_, i) => ({
      traditional: i % 20 === 5 ? 0 : 1,
      optimized: i % 20 < 5 ? 0 : 1,
    }));
    const shard = (part: typeof pairs) => {
      const ab = buildAbBlock({
        source: "evaluation",
        metric: "exact_match",
        pairs: part,
        seed: 0,
      });
      return report({
        workflow: "triage",
        file: "pipelines/triage.yaml",
        mode: "evaluation",
        steps: [step({ name: "classify", route: "ab", ab })],
      });
    };
    const shards = [shard(pairs.slice(0, 20)), shard(pairs.slice(20))];
    expect(failures(shards, "regression")).toEqual([]);
    await writeReports({ "reports/a.json": [shards[0]!], "reports/b.json": [shards[1]!] });

    const result = await runAction(
      deps({ report: "reports/*.json", "fail-on": "regression", comment: "false" }),
    );

    expect(result).toEqual({
      kind: "failed",
      reason:
        "fail-on regression:\nworkflow triage (pipelines/triage.yaml): step classify: optimized is significantly worse than traditional (Δ -0.200, 95% CI [-0.365, -0.035], p 0.019, n 40)",
    });
    expect(log).toContain(`failed ${result.kind === "failed" ? result.reason : ""}`);
    expect(outputs()).toMatchObject({
      "quality-delta": "-0.2000",
      recommendation: "use_traditional",
    });
  });
  it("publishes nothing when a report file does not match the report schema, naming the file and JSON path", async () => {
    const forged = { ...report(), steps: [{ ...step(), route: "optimised" }] };
    await writeReports({ "reports/good.json": [report()] });
    await writeFile(join(workspace, "reports/bad.json"), JSON.stringify([forged]));

    const result = await runAction(deps({ report: "reports/*.json", comment: "false" }));

    expect(result).toEqual({
      kind: "failed",
      reason:
        "reports/bad.json [report 0]: /steps/0/route: must be equal to one of the allowed values",
    });
    expect(summaries).toEqual([]);
  });
});

describe("fail-on", () => {
  const regressed = report({
    workflow: "triage",
    file: "pipelines/triage.yaml",
    steps: [
      step({
        name: "classify",
        route: "ab",
        ab: abBlock({
          delta: -0.25,
          ci95: [-0.4, -0.1],
          p_value: 0.003,
          recommendation: "use_traditional",
        }),
      }),
    ],
  });
  const errored = report({
    workflow: "summaries",
    file: "pipelines/summaries.yaml",
    status: "failed",
    steps: [
      step({ name: "draft", status: "failed", error: "provider auth failed (401)" }),
      step({ name: "polish", status: "not_run" }),
    ],
  });

  it("regression fails the step on a significantly worse optimized arm and on a failed step", async () => {
    await writeReports({ "reports/r.json": [regressed, errored] });
    const result = await runAction(
      deps({ report: "reports/r.json", "fail-on": "regression", comment: "false" }),
    );
    expect(result).toEqual({
      kind: "failed",
      reason: [
        "fail-on regression:",
        "workflow triage (pipelines/triage.yaml): step classify: optimized is significantly worse than traditional (Δ -0.250, 95% CI [-0.400, -0.100], p 0.003, n 40)",
        "workflow summaries (pipelines/summaries.yaml): step draft failed: provider auth failed (401)",
      ].join("\n"),
    });
    expect(log).toContain(`failed ${result.kind === "failed" ? result.reason : ""}`);
  });

  it("error fails the step on a failed step only", async () => {
    await writeReports({ "reports/r.json": [regressed, errored] });
    const result = await runAction(
      deps({ report: "reports/r.json", "fail-on": "error", comment: "false" }),
    );
    expect(result).toEqual({
      kind: "failed",
      reason:
        "fail-on error:\nworkflow summaries (pipelines/summaries.yaml): step draft failed: provider auth failed (401)",
    });

    log = [];
    await writeReports({ "reports/r.json": [regressed] });
    expect(
      (await runAction(deps({ report: "reports/r.json", "fail-on": "error", comment: "false" })))
        .kind,
    ).toBe("succeeded");
    expect(log.filter((l) => l.startsWith("failed "))).toEqual([]);
  });

  it("never only reports: the comment and summary still show the failure and the regression", async () => {
    await writeReports({ "reports/r.json": [regressed, errored] });
    const result = await runAction(
      deps({ report: "reports/r.json", "fail-on": "never", comment: "false" }),
    );
    expect(result.kind).toBe("succeeded");
    expect(log.filter((l) => l.startsWith("failed "))).toEqual([]);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toContain("> [!CAUTION]\n> **0 steps better, 1 worse, 0 inconclusive");
    expect(summaries[0]).toContain("· failed: summaries/draft**");
    expect(summaries[0]).toMatch(/^### summaries · hybrid · .* — failed$/m);
    expect(summaries[0]).toContain("| classify | **worse** | −0.25 [−0.40, −0.10] | 0.61 → 0.83 |");
    expect(outputs()).toMatchObject({
      "quality-delta": "-0.2500",
      recommendation: "use_traditional",
    });
  });

  it("a budget stop is not an error: the step passes and the summary says which steps did not run", async () => {
    await mkdir(join(workspace, "pipelines"));
    const steps = ["first", "second"].map(
      (name) =>
        `    - name: ${name}\n      type: claude\n      prompt:\n        - type: static\n          content: "Say ${name}."\n`,
    );
    await writeFile(
      join(workspace, "pipelines/two.yaml"),
      `workflow:\n  name: two_steps\n  steps:\n${steps.join("")}`,
    );

    const result = await runAction(
      deps({
        workflows: "pipelines/*.yaml",
        provider: "sim",
        "budget-usd": "0",
        "fail-on": "error",
        comment: "false",
      }),
    );

    expect(result.kind).toBe("succeeded");
    expect(
      result.kind === "succeeded"
        ? result.reports.map((r) => [r.status, r.steps.map((s) => s.status)])
        : [],
    ).toEqual([["partial", ["not_run", "not_run"]]]);
    const stop =
      "workflow two_steps (pipelines/two.yaml): budget spent ($0.0000 of $0.00), stopped early; not run: first, second. A budget stop is not a failure under fail-on.";
    expect(log).toContain(`warning ${stop}`);
    expect(summaries[0]).toContain("> **No step compared: 0 of 2 steps ran**");
    expect(summaries[0]).toContain("— partial: stopped early (budget or signal)");
    expect(summaries[0]).toContain("> workflow two_steps \\(pipelines/two.yaml\\): budget spent");
  });
});
