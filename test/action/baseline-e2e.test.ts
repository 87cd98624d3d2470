import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunReport } from "../../src/report/index.js";
import { startFakeCacheService, type FakeCacheService } from "../support/fake-cache-service.js";
import { startFakeGithub, type FakeGithub } from "../support/fake-github.js";
import { inputEnv, jobEnvironment, runDist } from "./run-dist.js";

// The Action compiled from src/ (lib/, built by the pretest step) spawned with a runner's environment,
// against loopback GitHub and cache services: dist/ is rebuilt only at release, and this is its next behaviour.
const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples") as Array<{
  name: string;
  examples: Array<Record<string, unknown>>;
}>;
const pullRequestOpened = examples
  .find((e) => e.name === "pull_request")!
  .examples.find((e) => e.action === "opened")! as {
  number: number;
  pull_request: { base: { ref: string } };
  repository: { default_branch: string };
};

const repoRoot = resolve(import.meta.dirname, "../..");
const examplePipeline = "examples/code-review/classify_findings.yaml";
const trainingData = "examples/code-review/training_data/classify_finding.jsonl";
const promptFile = "prompts/classify_finding.md";
const staticPrompt = `        - type: static
          content: "Classify the code-review finding below. Answer with one of: bug, style, security, performance."`;
const marker = "<!-- hybrid-pipeline:report -->";

let github: FakeGithub;
let cacheService: FakeCacheService;
let root: string;

/** The example pipeline with its instruction moved to a prompt file, as a repository would keep it. */
async function exampleFiles(prompt: string): Promise<Record<string, string>> {
  const yaml = await readFile(join(repoRoot, examplePipeline), "utf8");
  expect(yaml).toContain(staticPrompt);
  return {
    "pipelines/classify_findings.yaml": yaml.replace(
      staticPrompt,
      `        - type: file\n          path: ${promptFile}`,
    ),
    [trainingData]: await readFile(join(repoRoot, trainingData), "utf8"),
    [promptFile]: prompt,
  };
}

async function job(
  files: Record<string, string>,
): Promise<{ workspace: string; runDir: string; event: (payload: unknown) => Promise<string> }> {
  const base = await mkdtemp(join(root, "job-"));
  const workspace = join(base, "workspace");
  const runDir = join(base, "runner");
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(workspace, path, ".."), { recursive: true });
    await writeFile(join(workspace, path), text);
  }
  await mkdir(runDir, { recursive: true });
  return {
    workspace,
    runDir,
    event: async (payload) => {
      const path = join(runDir, "event.json");
      await writeFile(path, JSON.stringify(payload));
      return path;
    },
  };
}

function runnerEnv(event: string, eventPath: string, runId: string): Record<string, string> {
  return {
    ...jobEnvironment({
      event,
      eventPath,
      runId,
      apiUrl: github.url,
      inputs: {
        workflows: "pipelines/*.yaml",
        provider: "sim",
        "github-token": "ghs_" + "b".repeat(36),
        "report-path": "out/report.json",
      },
    }),
    ...cacheService.env(),
  };
}

/** The pull request of the webhook example, against main. */
const pullRequestOnMain = () => {
  const payload = structuredClone(pullRequestOpened);
  payload.pull_request.base.ref = "main";
  return payload;
};

const comment = () =>
  github
    .repo("Codertocat", "Hello-World")
    .comments.filter((c) => c.issueNumber === pullRequestOpened.number)
    .at(-1)?.body ?? "";

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "hp-baseline-"));
  github = await startFakeGithub();
  github.createRepo({ owner: "Codertocat", repo: "Hello-World" });
  github.createIssue("Codertocat", "Hello-World", "first");
  expect(github.createIssue("Codertocat", "Hello-World", "The pull request")).toBe(
    pullRequestOpened.number,
  );
  cacheService = await startFakeCacheService();
});

afterAll(async () => {
  await github.close();
  await cacheService.close();
  await rm(root, { recursive: true, force: true });
});

describe("vs base: the Action compares a pull request with the base branch's saved run", () => {
  it("a push on main saves a baseline; a pull request that edits a step's prompt file shows vs base, flagged prompt changed", async () => {
    const sha = "a".repeat(40);
    const main = await job(
      await exampleFiles(
        "Classify the code-review finding below. Answer with one of: bug, style, security, performance.",
      ),
    );
    const push = await runDist(main.workspace, main.runDir, {
      ...runnerEnv(
        "push",
        await main.event({ ref: "refs/heads/main", repository: { default_branch: "main" } }),
        "7001",
      ),
      GITHUB_REF: "refs/heads/main",
      GITHUB_REF_NAME: "main",
      GITHUB_SHA: sha,
    });
    expect(push.stderr).toBe("");
    expect(push.code).toBe(0);
    expect(push.stdout).toContain(`baseline saved as hybrid-pipeline-baseline-main-${sha}`);
    expect(cacheService.entries().map((e) => e.key)).toContain(
      `hybrid-pipeline-baseline-main-${sha}`,
    );
    const base = JSON.parse(
      await readFile(join(main.workspace, "out/report.json"), "utf8"),
    ) as RunReport[];
    const baseStep = base[0]!.steps[0]!;
    expect(baseStep.ab?.heldout?.ids).toHaveLength(baseStep.ab!.n);
    expect(baseStep.fingerprint).toMatchObject({
      prompt: expect.stringMatching(/^[0-9a-f]{12}$/),
      training_data: expect.stringMatching(/^[0-9a-f]{12}$/),
    });

    // The pull request changes only the prompt file's text.
    const pr = await job(
      await exampleFiles(
        "Classify the review finding below into one category. Answer with one of: security, bug, style, performance.",
      ),
    );
    const run = await runDist(pr.workspace, pr.runDir, {
      ...runnerEnv("pull_request", await pr.event(pullRequestOnMain()), "7002"),
      GITHUB_BASE_REF: "main",
      GITHUB_SHA: "b".repeat(40),
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`baseline restored from hybrid-pipeline-baseline-main-${sha}`);
    const [now] = JSON.parse(
      await readFile(join(pr.workspace, "out/report.json"), "utf8"),
    ) as RunReport[];
    expect(now!.baseline).toEqual({
      branch: "main",
      sha,
      schema_version: 2,
      provider: "sim",
      note: null,
    });
    const vs = now!.steps[0]!.vs_base;
    expect(vs).toMatchObject({
      comparable: true,
      n: baseStep.ab!.n,
      route_now: now!.steps[0]!.route,
      route_base: baseStep.route,
      // The program's cache key holds the prompt as sent, so an edited prompt file is a new program too.
      changed: ["prompt", "program"],
    });

    const body = comment();
    expect(body.startsWith(marker)).toBe(true);
    // The verdict alert leads with the comparison against main too (the same examples, same scores).
    expect(body).toContain(
      "\n> **vs main: 0 steps worse, 0 better, 1 within noise \\(FDR 5%\\)**\n",
    );
    const table = body.split("\n").filter((l) => l.startsWith("| "));
    expect(table[0]).toMatch(/^\| step \| verdict \| Δ opt − trad \[CI\] \| vs base \| /);
    const row = table.find((l) => l.startsWith("| classify_finding |"))!;
    expect(row.split(" | ")[3]).toMatch(
      /^[+\u2212]\d\.\d\d \[[+\u2212]\d\.\d\d, [+\u2212]\d\.\d\d\] · prompt, program changed$/,
    );
    expect(body).toContain(
      `vs base: against the latest run saved on main @ ${sha.slice(0, 7)} \\(report v2, sim\\)`,
    );
    expect(cacheService.unexpected).toEqual([]);
    expect(github.unexpected).toEqual([]);
  });

  it("says how to get a baseline when the base branch has none, and still succeeds", async () => {
    const pr = await job(await exampleFiles("Classify the finding."));
    const run = await runDist(pr.workspace, pr.runDir, {
      ...runnerEnv("pull_request", await pr.event(pullRequestOnMain()), "7003"),
      ...inputEnv({ "cache-key-prefix": "fresh" }),
    });
    expect(run.code).toBe(0);
    const body = comment();
    expect(body).not.toContain("| vs base |");
    expect(body).toContain(
      "vs base: No baseline for main yet: the first run of this workflow on main \\(push\\) saves one.",
    );
    expect(run.summary).toContain("No baseline for main yet");
  });
});
