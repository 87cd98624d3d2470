import { randomUUID } from "node:crypto";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  BotOctokit,
  programEvidence,
  promoteProgramsOnce,
  readProgramsDir,
  supportsProgram,
} from "../../bot/index.js";
import { main } from "../../src/cli/main.js";
import { readZip, ZipError } from "../../bot/read-zip.js";
import { startFakeGithub } from "../support/fake-github.js";
import { buildZip } from "../support/zip.js";
import {
  changedOnBranch,
  corpusFile,
  startHarness,
  type Delivery,
  type Harness,
} from "./harness.js";

const branch = "hybrid-pipeline/promote-programs";
const jsonPath = ".hybrid-pipeline/programs/review/classify.json";
const mdPath = ".hybrid-pipeline/programs/review/classify.prompt.md";
const pipelines = {
  "review.yaml": corpusFile("engineering_innovation_single_step.yaml"),
  "README.md": "# pipelines\n",
};

/** `n` held-out pairs: `wins` where only the optimized arm passes, the rest where both pass. */
function pairs(n: number, wins: number, losses = 0) {
  return Array.from({ length: n }, (_, i) =>
    i < wins
      ? { traditional: 0, optimized: 1 }
      : i < wins + losses
        ? { traditional: 1, optimized: 0 }
        : { traditional: 1, optimized: 1 },
  );
}

/** A program file as `optimize --write` writes it (DSPy state plus our metadata). */
function programJson(options: {
  inputs: string;
  pairs: ReturnType<typeof pairs>;
  instructions: string;
}) {
  const program = {
    predict: {
      traces: [],
      train: [],
      demos: [{ augmented: true, finding: "SQL built from user input", category: "security" }],
      signature: {
        instructions: options.instructions,
        fields: [
          { prefix: "Finding:", description: "${finding}" },
          { prefix: "Category:", description: "${category}" },
        ],
      },
      lm: null,
    },
    metadata: { dependency_versions: { python: null, dspy: null, cloudpickle: null } },
    hybrid_pipeline: {
      step: "classify",
      signature: "finding -> category",
      optimizer: "bootstrap_few_shot",
      model: "sim/sim-1",
      metric: "exact_match",
      n_train: 20,
      n_validation: 10,
      heldout: {
        split: "test",
        folds: null,
        n_labelled: 80,
        min_labelled: 20,
        pairs: options.pairs,
        ids: options.pairs.map((_, i) => `ex-${i}`),
        traditional: { errors: {}, parseFailures: 0 },
        optimized: { errors: {}, parseFailures: 0 },
        repeats: 1,
      },
      cache_key: "k",
      lm_calls: { calls: {}, total_calls: 57, input_tokens: 0, output_tokens: 0, cost_usd: null },
      simulated: true,
      inputs: {
        hash: options.inputs,
        parts: { signature: "s", training_data: options.inputs, optimizer: "o" },
      },
    },
  };
  return JSON.stringify(program, null, 2) + "\n";
}

const promptMd = (instructions: string) =>
  `# review / classify\n\n## Instructions\n\n${instructions}\n\n## Demo 1\n\nFinding: SQL built from user input\nCategory: security\n`;

function artifact(options: {
  inputs: string;
  pairs: ReturnType<typeof pairs>;
  instructions: string;
}) {
  return {
    "review/classify.json": programJson(options),
    "review/classify.prompt.md": promptMd(options.instructions),
  };
}

const strong = {
  inputs: "a".repeat(64),
  pairs: pairs(40, 30),
  instructions: "Classify the finding.",
};

let harness: Harness | undefined;
let nextRun = 500;
afterEach(async () => {
  await harness?.close();
  expect(harness?.github.unexpected ?? []).toEqual([]);
  harness = undefined;
});

/** A run of the Action completes, having uploaded `files` as its programs artifact. */
async function runCompleted(
  h: Harness,
  files: Record<string, string> | undefined,
  overrides: Record<string, unknown> = {},
  runId = ++nextRun,
) {
  if (files) h.repo.uploadArtifact(runId, "hybrid-pipeline-programs", buildZip(files));
  const repository = {
    id: h.repo.id,
    name: "pipelines",
    full_name: "acme/pipelines",
    owner: { login: "acme", id: 1, type: "Organization" },
    default_branch: "main",
  };
  const payload = {
    action: "completed",
    workflow_run: {
      id: runId,
      name: "hybrid-pipeline",
      head_branch: "main",
      head_sha: h.repo.refs.get("heads/main"),
      event: "push",
      status: "completed",
      conclusion: "success",
      head_repository: { full_name: "acme/pipelines" },
      ...overrides,
    },
    repository,
    installation: { id: 42 },
    sender: { login: "alice", id: 7, type: "User" },
  };
  await h.probot.receive({
    id: randomUUID(),
    name: "workflow_run",
    payload,
  } as unknown as Delivery);
  return runId;
}

/** Redelivers the event of run `runId` (same artifact). */
const redeliver = (h: Harness, runId: number) => runCompleted(h, undefined, {}, runId);

function state(h: Harness) {
  const repo = h.repo;
  return {
    pulls: repo.pulls().map((p) => ({ number: p.number, state: p.state, head: p.pull!.head })),
    commitsOnBranch: repo.refs.has(`heads/${branch}`) ? repo.commitsAhead(branch).length : 0,
  };
}

describe("bot: promotion pull request from a workflow run's programs artifact", () => {
  it("opens exactly one pull request with the program files, its evidence and the prompt diff", async () => {
    harness = await startHarness(pipelines);
    const run = await runCompleted(harness, artifact(strong));
    expect(state(harness)).toEqual({
      pulls: [{ number: 1, state: "open", head: branch }],
      commitsOnBranch: 1,
    });
    expect(changedOnBranch(harness.repo, branch)).toEqual([jsonPath, mdPath]);
    expect(harness.repo.readFile(branch, jsonPath)).toBe(programJson(strong));
    const body = harness.repo.issues.get(1)!.body!;
    expect(body).toMatch(/^<!-- hybrid-pipeline:promotion hash=[0-9a-f]{64} -->/);
    expect(body).toContain(`review/classify=${"a".repeat(64)}`);
    expect(body).toContain("| 40 | 0.250 → 1.000 | +0.750 [+0.");
    expect(body).toContain("| n/a → n/a | `bootstrap_few_shot` | 57 | sim/sim-1 |");
    expect(body).toMatch(/<details><summary>Prompt diff of review\/classify<\/summary>\n\n<pre>/);
    expect(body).toContain("+Classify the finding.");
    expect(body).toContain("### Reject");
    expect(harness.repo.issues.get(1)!.labels).toEqual(["hybrid-pipeline"]);

    // Redelivery, and another run with byte-identical program files: no write at all.
    const writes = harness.github.writeCount();
    await redeliver(harness, run);
    await runCompleted(harness, artifact(strong));
    expect(harness.github.writeCount()).toBe(writes);
    expect(state(harness)).toEqual({
      pulls: [{ number: 1, state: "open", head: branch }],
      commitsOnBranch: 1,
    });
  });

  it("keeps one pull request and one commit through concurrent deliveries of one run", async () => {
    harness = await startHarness(pipelines, { delayMs: 1 });
    const h = harness;
    // A cancelled run is ignored: this only stores the artifact the concurrent deliveries then read.
    const run = await runCompleted(h, artifact(strong), { conclusion: "cancelled" });
    await Promise.all(Array.from({ length: 6 }, () => redeliver(h, run)));
    expect(state(h)).toEqual({
      pulls: [{ number: 1, state: "open", head: branch }],
      commitsOnBranch: 1,
    });
  });

  it("updates the same pull request, still one commit, when the evidence changes", async () => {
    harness = await startHarness(pipelines);
    await runCompleted(harness, artifact(strong));
    const first = harness.repo.issues.get(1)!.body!;
    const better = {
      ...strong,
      pairs: pairs(40, 36),
      instructions: "Classify the finding tersely.",
    };
    await runCompleted(harness, artifact(better));
    expect(state(harness)).toEqual({
      pulls: [{ number: 1, state: "open", head: branch }],
      commitsOnBranch: 1,
    });
    expect(harness.repo.readFile(branch, jsonPath)).toBe(programJson(better));
    expect(harness.repo.readFile(branch, mdPath)).toBe(promptMd(better.instructions));
    const body = harness.repo.issues.get(1)!.body!;
    expect(body).not.toBe(first);
    expect(body).toContain("| 40 | 0.100 → 1.000 | +0.900 [");
  });

  it("respects a closed pull request until the step's inputs hash changes", async () => {
    harness = await startHarness(pipelines);
    await runCompleted(harness, artifact(strong));
    harness.github.closePullRequest("acme", "pipelines", 1);
    const writes = harness.github.writeCount();
    // Same inputs, even with other evidence: not proposed again.
    await runCompleted(harness, artifact({ ...strong, pairs: pairs(40, 35) }));
    expect(harness.github.writeCount()).toBe(writes);
    expect(state(harness).pulls).toEqual([{ number: 1, state: "closed", head: branch }]);
    // New training data → new inputs hash → proposed again, in a new pull request.
    await runCompleted(harness, artifact({ ...strong, inputs: "b".repeat(64) }));
    expect(state(harness)).toEqual({
      pulls: [
        { number: 1, state: "closed", head: branch },
        { number: 2, state: "open", head: branch },
      ],
      commitsOnBranch: 1,
    });
  });

  it("proposes nothing the evidence does not support or the default branch already holds", async () => {
    harness = await startHarness(pipelines);
    // Δ = 0.1 with a CI reaching below 0: not above the 0.1 threshold.
    await runCompleted(harness, artifact({ ...strong, pairs: pairs(40, 6, 2) }));
    expect(state(harness)).toEqual({ pulls: [], commitsOnBranch: 0 });
    // A merged program with the same inputs and as good evidence stays.
    await harness.push({
      [jsonPath]: programJson(strong),
      [mdPath]: promptMd(strong.instructions),
    });
    await runCompleted(harness, artifact(strong));
    await runCompleted(harness, artifact({ ...strong, pairs: pairs(40, 29) }));
    expect(state(harness)).toEqual({ pulls: [], commitsOnBranch: 0 });
    // Better evidence for the committed program is proposed.
    await runCompleted(harness, artifact({ ...strong, pairs: pairs(40, 38) }));
    expect(state(harness).pulls).toEqual([{ number: 1, state: "open", head: branch }]);
    expect(harness.repo.issues.get(1)!.body).toContain("replaces a committed program");
  });

  it("ignores failed runs, other branches, pull request runs and runs without the artifact", async () => {
    harness = await startHarness(pipelines);
    const files = artifact(strong);
    await runCompleted(harness, files, { conclusion: "failure" });
    await runCompleted(harness, files, { head_branch: "feature" });
    await runCompleted(harness, files, { event: "pull_request" });
    await runCompleted(harness, files, { head_repository: { full_name: "mallory/pipelines" } });
    await runCompleted(harness, undefined);
    expect(state(harness)).toEqual({ pulls: [], commitsOnBranch: 0 });
    expect(harness.github.writeCount()).toBe(0);
  });

  it("leaves a branch carrying someone else's commit alone", async () => {
    harness = await startHarness(pipelines);
    await runCompleted(harness, artifact(strong));
    const foreign = harness.repo.commitFiles(
      branch,
      { [mdPath]: "mine\n" },
      "my edit",
      { login: "alice", id: 7, type: "User" },
      new Date().toISOString(),
    );
    await runCompleted(harness, artifact({ ...strong, pairs: pairs(40, 37) }));
    expect(harness.repo.refs.get(`heads/${branch}`)).toBe(foreign);
    expect(harness.repo.comments.filter((c) => c.issueNumber === 1)).toHaveLength(1);
  });
});

describe("bot: reading an artifact zip", () => {
  it("reads stored and deflated entries and refuses what is not a zip", () => {
    const files = { "a/b.json": '{"x":1}\n', "a/b.prompt.md": "# hi\n".repeat(100) };
    for (const stored of [true, false]) {
      const read = readZip(buildZip(files, { stored }));
      expect(Object.fromEntries([...read].map(([k, v]) => [k, v.toString("utf8")]))).toEqual(files);
    }
    expect(() => readZip(Buffer.from("not a zip at all, just some bytes"))).toThrow(ZipError);
    const cut = buildZip(files).subarray(0, 40);
    expect(() => readZip(cut)).toThrow(ZipError);
    // An entry that inflates past its declared size (a zip bomb) stops at that size.
    const bomb = buildZip({ "a.json": "0".repeat(1_000_000) });
    const central = bomb.readUInt32LE(bomb.length - 22 + 16);
    bomb.writeUInt32LE(100, central + 24);
    expect(() => readZip(bomb)).toThrow(/a\.json: Cannot create a Buffer larger than 101 bytes/);
  });
});

describe("bot: the scheduled-Action entry of the promotion", () => {
  it("proposes the job's compiled program files once, and nothing more on a second run", async () => {
    const github = await startFakeGithub();
    try {
      const repo = github.createRepo({ owner: "acme", repo: "pipelines", files: pipelines });
      github.addToken("ghs_job", { login: "github-actions[bot]", id: 41898282, type: "Bot" });
      const dir = await mkdtemp(join(tmpdir(), "programs-"));
      for (const [path, text] of Object.entries(artifact(strong))) {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), text);
      }
      const Octokit = BotOctokit.defaults(
        (o: ConstructorParameters<typeof BotOctokit>[0] = {}) => ({
          ...o,
          retry: { enabled: false },
          throttle: { ...o.throttle, enabled: false },
        }),
      );
      const options = {
        token: "ghs_job",
        repository: "acme/pipelines",
        apiUrl: github.url,
        Octokit,
        logLevel: "fatal" as const,
        programsDir: dir,
      };
      expect(await promoteProgramsOnce(options)).toMatchObject({
        kind: "done",
        steps: ["review/classify"],
      });
      const writes = github.writeCount();
      expect(await promoteProgramsOnce(options)).toMatchObject({
        kind: "done",
        branch: "unchanged",
        pull: { kind: "unchanged", number: 1 },
      });
      expect(github.writeCount()).toBe(writes);
      expect(repo.pulls().map((p) => [p.pull!.head, p.user.login])).toEqual([
        [branch, "github-actions[bot]"],
      ]);
      expect(repo.readFile(branch, mdPath)).toBe(promptMd(strong.instructions));
      expect(github.unexpected).toEqual([]);
    } finally {
      await github.close();
    }
  });
});

describe("bot: program files as `optimize --write` writes them", () => {
  it("reads their held-out evidence and proposes the supported program", async () => {
    const projectRoot = join(import.meta.dirname, "../..");
    const dir = await mkdtemp(join(tmpdir(), "promote-real-"));
    try {
      await cp(join(projectRoot, "examples/code-review"), join(dir, "examples/code-review"), {
        recursive: true,
      });
      const io = { cwd: dir, env: {}, stdout: () => undefined, stderr: () => undefined };
      const args = ["optimize", "examples/code-review/classify_findings.yaml", "--provider", "sim"];
      expect(await main([...args, "--write", "--no-cache"], io)).toBe(0);
      const files = await readProgramsDir(join(dir, ".hybrid-pipeline/programs"));
      const json = files.get("classify_findings/classify_finding.json")!.toString("utf8");
      const evidence = programEvidence(json)!;
      expect(evidence).toMatchObject({ measured: true, optimizer: expect.any(String) });
      expect(evidence.n).toBeGreaterThan(0);
      expect(evidence.inputsHash).toBe(
        (JSON.parse(json) as { hybrid_pipeline: { inputs: { hash: string } } }).hybrid_pipeline
          .inputs.hash,
      );

      harness = await startHarness(pipelines);
      const zip = Object.fromEntries([...files].map(([k, v]) => [k, v.toString("utf8")]));
      await runCompleted(harness, zip);
      // Seeded sim: n 34, 0.206 → 0.735, Δ +0.529 [+0.353, +0.706]: supported at 0.1.
      expect(supportsProgram(evidence, 0.1)).toBe(true);
      expect(state(harness)).toEqual({
        pulls: [{ number: 1, state: "open", head: branch }],
        commitsOnBranch: 1,
      });
      expect(changedOnBranch(harness.repo, branch)).toEqual([
        ".hybrid-pipeline/programs/classify_findings/classify_finding.json",
        ".hybrid-pipeline/programs/classify_findings/classify_finding.prompt.md",
      ]);
      expect(harness.repo.issues.get(1)!.body).toContain("| 34 | 0.206 → 0.735 | +0.529 [+0.353");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
