import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunReport } from "../../src/report/index.js";
import { startFakeCacheService, type FakeCacheService } from "../support/fake-cache-service.js";
import { startFakeGithub, type FakeGithub } from "../support/fake-github.js";
import { abBlock, report, step } from "../support/report-fixtures.js";
import { inputEnv, jobEnvironment, runDist } from "./run-dist.js";

// The committed dist/ bundle, spawned with the environment a runner gives a job (CI rebuilds and diffs it).
const require = createRequire(import.meta.url);
interface Example {
  name: string;
  examples: Array<Record<string, unknown>>;
}
const examples = require("@octokit/webhooks-examples") as Example[];
const pullRequestOpened = examples
  .find((e) => e.name === "pull_request")!
  .examples.find((e) => e.action === "opened")!;
const workflowRunCompleted = examples
  .find((e) => e.name === "workflow_run")!
  .examples.find((e) => e.action === "completed")!;

const marker = "<!-- hybrid-pipeline:report -->";
const pipeline = `workflow:
  name: ticket_triage
  steps:
    - name: classify
      type: claude
      signature: "ticket -> label"
      metric: exact_match
      prompt:
        - type: static
          content: "Classify this ticket as one of: bug, feature, question. Ticket: The app crashes on start."
  dspy_config:
    optimization_enabled: true
    training_data_path: training_data
  hybrid_config:
    mode: hybrid
`;
const trainset = [
  { input: "The app crashes on start", output: "bug" },
  { input: "Please add dark mode", output: "feature" },
  { input: "How do I export data?", output: "question" },
  { input: "Saving fails with error 500", output: "bug" },
]
  .map((r) => JSON.stringify(r))
  .join("\n");

let github: FakeGithub;
let cacheService: FakeCacheService;
let root: string;

async function workspaceWith(
  files: Record<string, string>,
): Promise<{ workspace: string; runDir: string }> {
  const base = await mkdtemp(join(root, "job-"));
  const workspace = join(base, "workspace");
  const runDir = join(base, "runner");
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(workspace, path, ".."), { recursive: true });
    await writeFile(join(workspace, path), text);
  }
  await mkdir(runDir, { recursive: true });
  return { workspace, runDir };
}

async function eventFile(dir: string, payload: unknown): Promise<string> {
  const path = join(dir, "event.json");
  await writeFile(path, JSON.stringify(payload));
  return path;
}

function jobEnv(
  event: string,
  eventPath: string,
  runId: string,
  token: string,
): Record<string, string> {
  return jobEnvironment({
    event,
    eventPath,
    runId,
    apiUrl: github.url,
    inputs: {
      workflows: "pipelines/**/*.yaml",
      provider: "auto",
      "github-token": token,
      "report-path": "out/report.json",
    },
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "hp-dist-"));
  github = await startFakeGithub();
  github.createRepo({ owner: "Codertocat", repo: "Hello-World" });
  github.createIssue("Codertocat", "Hello-World", "first");
  expect(
    github.createIssue("Codertocat", "Hello-World", "Update the README with new information."),
  ).toBe(2);
  cacheService = await startFakeCacheService();
});

afterAll(async () => {
  await github.close();
  await cacheService.close();
  await rm(root, { recursive: true, force: true });
});

describe("dist/index.js run as the runner runs it", () => {
  it("posts one comment and saves the cache; the re-run restores it, sends no LM call again and edits the same comment", async () => {
    const { workspace, runDir } = await workspaceWith({
      "pipelines/triage.yaml": pipeline,
      "training_data/classify.jsonl": trainset,
    });
    const event = await eventFile(runDir, pullRequestOpened);
    const token = "ghs_" + "a".repeat(36);

    const first = await runDist(workspace, runDir, {
      ...jobEnv("pull_request", event, "1001", token),
      ...cacheService.env(),
    });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const comments = () =>
      github.repo("Codertocat", "Hello-World").comments.filter((c) => c.issueNumber === 2);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body.startsWith(marker)).toBe(true);
    expect(first.outputs["comment-url"]).toBe(
      `https://github.com/Codertocat/Hello-World/issues/2#issuecomment-${comments()[0]!.id}`,
    );
    expect(cacheService.entries().map((e) => e.key)).toEqual([
      expect.stringMatching(/^hybrid-pipeline-Linux-[0-9a-f]{16}-1001-1$/),
    ]);
    const cold = JSON.parse(
      await readFile(join(workspace, "out/report.json"), "utf8"),
    ) as RunReport[];
    expect(cold[0]!.lm_calls.step).toBeGreaterThan(0);
    // The cold run compiles the step's program (hybrid mode); the warm run below finds it in the restored cache.
    expect(cold[0]!.lm_calls.optimize).toBeGreaterThan(0);
    expect(cold[0]!.steps[0]!.decision.reason).toMatch(/program compiled now/);
    // The runner consumes `::add-mask::`; every other line must be free of the token.
    expect(first.stdout.split("\n").filter((l) => l.includes(token))).toEqual([
      `::add-mask::${token}`,
    ]);

    const second = await runDist(workspace, runDir, {
      ...jobEnv("pull_request", event, "1002", token),
      ...cacheService.env(),
    });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`Cache hit for restore-key: ${cacheService.entries()[0]!.key}`);
    const warm = JSON.parse(
      await readFile(join(workspace, "out/report.json"), "utf8"),
    ) as RunReport[];
    expect(warm[0]!.lm_calls).toMatchObject({ step: 0, optimize: 0 });
    expect(warm[0]!.cache.hits.disk).toBeGreaterThan(0);
    expect(comments()).toHaveLength(1);
    const writes = github.requests
      .filter((r) => r.method !== "GET")
      .map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(writes).toEqual([
      "POST /repos/Codertocat/Hello-World/issues/2/comments 201",
      `PATCH /repos/Codertocat/Hello-World/issues/comments/${comments()[0]!.id} 200`,
    ]);
    expect(second.outputs["comment-url"]).toBe(first.outputs["comment-url"]);
    expect(second.summary).toContain(marker);
    expect(cacheService.unexpected).toEqual([]);
    expect(github.unexpected).toEqual([]);
  });

  it("reports instead of failing on a fork pull request with a read-only token and no secrets", async () => {
    const { workspace, runDir } = await workspaceWith({
      "pipelines/triage.yaml": pipeline,
      "training_data/classify.jsonl": trainset,
    });
    const number = github.createIssue("Codertocat", "Hello-World", "A change from a fork");
    const fork = structuredClone(pullRequestOpened) as {
      number: number;
      pull_request: { number: number; head: { repo: { full_name: string; fork: boolean } } };
    };
    fork.number = number;
    fork.pull_request.number = number;
    fork.pull_request.head.repo = {
      ...fork.pull_request.head.repo,
      full_name: "forker/Hello-World",
      fork: true,
    };
    const token = "ghs_" + "r".repeat(36);
    github.addToken(
      token,
      { login: "github-actions[bot]", id: 41898282, type: "Bot" },
      { readOnly: true },
    );
    const before = github.repo("Codertocat", "Hello-World").comments.length;

    const run = await runDist(workspace, runDir, {
      ...jobEnv("pull_request", await eventFile(runDir, fork), "2001", token),
      ...inputEnv({ "cache-key-prefix": "fork" }),
      ACTIONS_CACHE_MODE: "read",
      ...cacheService.env(),
    });
    expect(run.code).toBe(0);
    expect(github.repo("Codertocat", "Hello-World").comments.length).toBe(before);
    expect(run.stdout).toMatch(
      /^::notice::The PR comment was not posted: this job's token is read-only/m,
    );
    expect(run.summary).toContain("> The PR comment was not posted: this job's token is read-only");
    expect(run.summary).toContain("offline simulator");
    expect(run.stdout).toContain("cache save skipped: ACTIONS_CACHE_MODE is 'read'");
    expect(run.summary).toContain(
      "> cache: not saved \\(ACTIONS_CACHE_MODE is 'read' \\(read-only in low-trust events\\): not saving\\)",
    );
    expect(
      github.requests.filter((r) => r.status === 403).map((r) => `${r.method} ${r.path}`),
    ).toEqual([`POST /repos/Codertocat/Hello-World/issues/${number}/comments`]);
  });

  it("succeeds with a warning when the cache service answers 500", async () => {
    const { workspace, runDir } = await workspaceWith({
      "pipelines/triage.yaml": pipeline,
      "training_data/classify.jsonl": trainset,
    });
    cacheService.failing = true;
    try {
      // The legacy v1 protocol (no ACTIONS_CACHE_SERVICE_V2): v2's Twirp client retries a 500 for ~30 s first.
      const legacy: Record<string, string> = cacheService.env();
      delete legacy.ACTIONS_CACHE_SERVICE_V2;
      const run = await runDist(workspace, runDir, {
        ...jobEnv("push", await eventFile(runDir, {}), "3001", "ghs_x"),
        ...legacy,
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^::warning::Running without the disk cache tier: cache restore failed: Failed to restore: .*500/m,
      );
      expect(run.outputs["report-path"]).toBe("out/report.json");
      expect(run.summary).toContain(marker);
    } finally {
      cacheService.failing = false;
    }
  });

  it("annotates every problem of an invalid pipeline at its file and line, and runs nothing", async () => {
    const broken = pipeline
      .replace("type: claude", "type: claud")
      .replace("mode: hybrid", "mode: turbo");
    const { workspace, runDir } = await workspaceWith({
      "pipelines/good.yaml": pipeline,
      "pipelines/sub/bad.yaml": broken,
    });
    const requestsBefore = cacheService.requests.length;
    const run = await runDist(workspace, runDir, {
      ...jobEnv("push", await eventFile(runDir, {}), "4001", "ghs_x"),
      ...cacheService.env(),
    });
    expect(run.code).toBe(1);
    const annotations = run.stdout.split("\n").filter((l) => l.startsWith("::error "));
    expect(annotations).toEqual([
      expect.stringMatching(
        /^::error title=hybrid-pipeline%3A UNKNOWN_STEP_TYPE,file=pipelines\/sub\/bad\.yaml,line=5,col=13::unknown step type 'claud'/,
      ),
      "::error title=hybrid-pipeline%3A SCHEMA,file=pipelines/sub/bad.yaml,line=15,col=11::`workflow.hybrid_config.mode` must be one of: traditional, dspy_optimized, hybrid, evaluation (found 'turbo') (use one of the listed values)",
    ]);
    expect(run.stdout).toMatch(
      /^::error::2 problem\(s\) in 2 pipeline file\(s\); nothing was run/m,
    );
    expect(run.summary).toContain("pipelines/sub/bad.yaml:5:13: error: unknown step type 'claud'");
    expect(cacheService.requests.length).toBe(requestsBefore);
    expect(() => readFileSync(join(workspace, "out/report.json"))).toThrow();
  });

  it("publishes a fork's report from a trusted workflow_run job, and fails on a significant regression", async () => {
    const number = github.createIssue("Codertocat", "Hello-World", "Fork change");
    const headSha = "c".repeat(40);
    github.repo("Codertocat", "Hello-World").issues.get(number)!.pull = {
      head: "fork-branch",
      base: "main",
      merged: false,
      headSha,
      mergeCommitSha: null,
    };
    // A version-1 report: read by the committed bundle and by the current one alike.
    const regressed = report({
      schema_version: 1,
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
    const { workspace, runDir } = await workspaceWith({
      "artifact/hybrid-pipeline-report.json": JSON.stringify([regressed]),
    });
    const run = structuredClone(workflowRunCompleted) as {
      workflow_run: { head_sha: string; pull_requests: unknown[]; event: string };
    };
    run.workflow_run = {
      ...run.workflow_run,
      head_sha: headSha,
      pull_requests: [],
      event: "pull_request",
    };
    const env = {
      ...jobEnv("workflow_run", await eventFile(runDir, run), "5001", "ghs_trusted"),
      ...inputEnv({
        report: "artifact/*.json",
        "pull-request": String(number),
        "fail-on": "regression",
      }),
    };

    const published = await runDist(workspace, runDir, env);
    expect(published.code).toBe(1);
    expect(published.stdout).toMatch(
      /^::error::fail-on regression:%0Aworkflow code_review \(pipelines\/triage\.yaml\): step classify: optimized is significantly worse than traditional/m,
    );
    const comments = github
      .repo("Codertocat", "Hello-World")
      .comments.filter((c) => c.issueNumber === number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(
      "> Published by a trusted workflow_run job from 1 report file\\(s\\).",
    );
    expect(published.outputs).toMatchObject({
      "quality-delta": "-0.2500",
      recommendation: "use_traditional",
    });

    github.repo("Codertocat", "Hello-World").issues.get(2)!.pull = {
      head: "other",
      base: "main",
      merged: false,
      headSha: "d".repeat(40),
      mergeCommitSha: null,
    };
    const forged = await runDist(workspace, runDir, {
      ...env,
      ...inputEnv({ "pull-request": "2", "fail-on": "never" }),
    });
    expect(forged.code).toBe(0);
    expect(forged.stdout).toMatch(
      /^::warning::The PR comment was not posted: pull request #2 is at ddddddd, not at the commit the workflow run built \(ccccccc\)/m,
    );
  });
});
