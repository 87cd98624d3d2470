import { afterEach, describe, expect, it } from "vitest";
import { changedOnBranch, corpusFile, loadApp, startHarness, type Harness } from "./harness.js";

const branch = "hybrid-pipeline/migrate";
const pipelines = {
  "engineering_innovation_single_step.yaml": corpusFile("engineering_innovation_single_step.yaml"),
  "examples/claude_extract_example.yaml": corpusFile("examples/claude_extract_example.yaml"),
  "pipelines/review/claude_smart_example.yaml": corpusFile("examples/claude_smart_example.yaml"),
};
const bystanders = {
  "README.md": "# pipelines\n",
  ".github/workflows/ci.yml": "name: ci\non: push\njobs: {}\n",
  "config/settings.yaml": "retries: 3\n",
};

let harness: Harness;
afterEach(async () => {
  await harness?.close();
  // Every request the bot made is one the stand-in knows (no silent 404s).
  expect(harness?.github.unexpected).toEqual([]);
});

function state(h: Harness) {
  const repo = h.repo;
  return {
    pulls: repo
      .pulls()
      .map((p) => ({ number: p.number, state: p.state, head: p.pull!.head, labels: p.labels })),
    commitsOnBranch: repo.refs.has(`heads/${branch}`) ? repo.commitsAhead(branch).length : 0,
    branchSha: repo.refs.get(`heads/${branch}`),
  };
}

describe("bot: a fresh repository", () => {
  it("opens one pull request with one commit on one branch for several pipeline files", async () => {
    harness = await startHarness({ ...pipelines, ...bystanders });
    await harness.install();
    const repo = harness.repo;
    expect(state(harness)).toMatchObject({
      pulls: [{ number: 1, state: "open", head: branch, labels: ["hybrid-pipeline"] }],
      commitsOnBranch: 1,
    });
    expect(changedOnBranch(repo, branch)).toEqual(Object.keys(pipelines).sort());
    for (const path of Object.keys(pipelines))
      expect(repo.readFile(branch, path)).toMatch(/dspy_config:[\s\S]*hybrid_config:/);
    const commit = repo.git.commits.get(repo.refs.get(`heads/${branch}`)!)!;
    expect(commit.parents).toEqual([repo.refs.get("heads/main")]);
    expect(repo.labels.get("hybrid-pipeline")).toMatchObject({ color: "5319e7" });
    const body = repo.issues.get(1)!.body!;
    expect(body).toMatch(/^<!-- hybrid-pipeline:migration hash=[0-9a-f]{64} -->/);
    for (const path of Object.keys(pipelines)) expect(body).toContain(`\`${path}\``);
    expect(body).toContain("### What you need to add");
    expect(harness.github.unexpected).toEqual([]);
  });

  it("keeps one pull request and one commit through 10 concurrent deliveries and 50 redeliveries", async () => {
    harness = await startHarness({ ...pipelines, ...bystanders }, { delayMs: 1 });
    await Promise.all(Array.from({ length: 10 }, () => harness.install()));
    const after = state(harness);
    expect(after).toMatchObject({ pulls: [{ number: 1, state: "open" }], commitsOnBranch: 1 });
    // Serialised per repository: the first delivery writes (tree, commit, ref, pull, label, labels), the others find it done.
    const writes = harness.github.writeCount();
    expect(writes).toBe(6);
    for (let i = 0; i < 50; i++) await harness.install();
    expect(state(harness)).toEqual(after);
    expect(harness.github.writeCount()).toBe(writes);
  });

  it("keeps one pull request and one commit when two app replicas race on the same delivery", async () => {
    harness = await startHarness({ ...pipelines, ...bystanders }, { delayMs: 2 });
    const replica = await loadApp(harness.github);
    await Promise.all([
      harness.install(),
      harness.install(replica),
      harness.install(),
      harness.install(replica),
    ]);
    expect(state(harness)).toMatchObject({
      pulls: [{ number: 1, state: "open", labels: ["hybrid-pipeline"] }],
      commitsOnBranch: 1,
    });
    expect(harness.repo.labels.size).toBe(1);
  });

  it("does nothing when no pipeline file needs migrating", async () => {
    harness = await startHarness(bystanders);
    await harness.install();
    expect(state(harness)).toEqual({ pulls: [], commitsOnBranch: 0, branchSha: undefined });
    expect(harness.github.writeCount()).toBe(0);
  });
});

describe("bot: after the pull request exists", () => {
  it("rebuilds its untouched branch on a moved base without editing the pull request", async () => {
    harness = await startHarness({ ...pipelines, ...bystanders });
    await harness.install();
    const body = harness.repo.issues.get(1)!.body;
    await harness.push({ "README.md": "# pipelines, now documented\n" });
    await harness.deliver("installation_repositories", {
      action: "added",
      installation: { id: 42, account: { login: "acme" } },
      repositories_added: [
        { id: harness.repo.id, name: "pipelines", full_name: "acme/pipelines", private: false },
      ],
      repositories_removed: [],
      sender: { login: "alice", type: "User" },
    });
    const repo = harness.repo;
    const head = repo.git.commits.get(repo.refs.get(`heads/${branch}`)!)!;
    expect(head.parents).toEqual([repo.refs.get("heads/main")]);
    expect(state(harness)).toMatchObject({
      pulls: [{ number: 1, state: "open" }],
      commitsOnBranch: 1,
    });
    expect(repo.issues.get(1)!.body).toBe(body);
    expect(changedOnBranch(repo, branch)).toEqual(Object.keys(pipelines).sort());
  });

  it("updates the same pull request when a push adds a pipeline file", async () => {
    harness = await startHarness({ ...pipelines, ...bystanders });
    await harness.install();
    await harness.push({
      "examples/claude_robust_example.yaml": corpusFile("examples/claude_robust_example.yaml"),
    });
    expect(state(harness)).toMatchObject({
      pulls: [{ number: 1, state: "open" }],
      commitsOnBranch: 1,
    });
    expect(changedOnBranch(harness.repo, branch)).toContain("examples/claude_robust_example.yaml");
    expect(harness.repo.issues.get(1)!.body).toContain("`examples/claude_robust_example.yaml`");
  });

  it("ignores pushes by bots, to other branches, and that touch no pipeline file", async () => {
    harness = await startHarness({ ...pipelines, ...bystanders });
    await harness.install();
    const writes = harness.github.writeCount();
    const before = state(harness);
    await harness.push(
      { "examples/claude_robust_example.yaml": corpusFile("examples/claude_robust_example.yaml") },
      { login: "renovate[bot]", id: 5, type: "Bot" },
    );
    await harness.deliver("push", {
      ref: "refs/heads/feature",
      before: "0",
      after: "1",
      deleted: false,
      commits: [{ added: ["x.yaml"], modified: [] }],
      repository: { name: "pipelines", owner: { login: "acme" }, default_branch: "main" },
      installation: { id: 42 },
      sender: { login: "alice", type: "User" },
    });
    await harness.push({ "README.md": "# changed\n" });
    expect(state(harness)).toEqual(before);
    expect(harness.github.writeCount()).toBe(writes);
  });

  it("leaves a branch carrying someone else's commit alone and says so once", async () => {
    harness = await startHarness({ ...pipelines, ...bystanders });
    await harness.install();
    const foreign = harness.repo.commitFiles(
      branch,
      { "notes.txt": "mine\n" },
      "Tweak",
      { login: "alice", id: 7, type: "User" },
      "2026-01-02T00:00:00Z",
    );
    await harness.push({
      "examples/claude_robust_example.yaml": corpusFile("examples/claude_robust_example.yaml"),
    });
    await harness.push({
      "examples/claude_live_test.yaml": corpusFile("examples/claude_live_test.yaml"),
    });
    expect(harness.repo.refs.get(`heads/${branch}`)).toBe(foreign);
    const notices = harness.repo.comments.filter((c) => c.issueNumber === 1);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toContain("leaving the branch alone");
    expect(notices[0]!.user.login).toBe("hybrid-pipeline[bot]");
  });
});

describe("bot: a merged pull request", () => {
  it("leaves nothing to do: no notice, and a later push opens nothing", async () => {
    harness = await startHarness({ ...pipelines, ...bystanders });
    await harness.install();
    harness.github.closePullRequest("acme", "pipelines", 1, { merged: true });
    await harness.closed(1);
    const writes = harness.github.writeCount();
    await harness.push({
      "README.md": "# merged\n",
      "examples/claude_extract_example.yaml": harness.repo.readFile(
        "main",
        "examples/claude_extract_example.yaml",
      )!,
    });
    expect(harness.repo.pulls().map((p) => p.state)).toEqual(["closed"]);
    expect(harness.repo.comments).toEqual([]);
    expect(harness.github.writeCount()).toBe(writes);
  });
});

describe("bot: a pull request closed without merging", () => {
  it("is never reopened or recreated by a later push, and gets one notice", async () => {
    harness = await startHarness({ ...pipelines, ...bystanders });
    await harness.install();
    harness.github.closePullRequest("acme", "pipelines", 1);
    await harness.closed(1);
    await harness.closed(1);
    const branchSha = harness.repo.refs.get(`heads/${branch}`);
    await harness.push({
      "examples/claude_robust_example.yaml": corpusFile("examples/claude_robust_example.yaml"),
    });
    await harness.install();
    expect(state(harness)).toMatchObject({ pulls: [{ number: 1, state: "closed" }], branchSha });
    const notices = harness.repo.comments.filter((c) => c.issueNumber === 1);
    expect(notices.map((c) => c.body)).toEqual([
      expect.stringContaining("/hybrid-pipeline migrate"),
    ]);
  });

  it("comes back on /hybrid-pipeline migrate from a user with write access, not from others", async () => {
    harness = await startHarness({ ...pipelines, ...bystanders });
    await harness.install();
    harness.github.closePullRequest("acme", "pipelines", 1);
    await harness.closed(1);
    const issue = harness.github.createIssue("acme", "pipelines", "Bring the migration back");
    harness.repo.permissions.set("alice", "write");
    await harness.comment(issue, "/hybrid-pipeline migrate", {
      login: "mallory",
      id: 66,
      type: "User",
    });
    await harness.comment(issue, "/hybrid-pipeline migrate", {
      login: "other-app[bot]",
      id: 67,
      type: "Bot",
    });
    expect(state(harness).pulls).toEqual([expect.objectContaining({ number: 1, state: "closed" })]);
    expect(harness.repo.comments.filter((c) => c.issueNumber === issue)).toEqual([]);

    await harness.comment(issue, "/hybrid-pipeline migrate", {
      login: "alice",
      id: 7,
      type: "User",
    });
    expect(state(harness)).toMatchObject({
      pulls: [
        { number: 1, state: "closed" },
        { number: 3, state: "open", head: branch },
      ],
      commitsOnBranch: 1,
    });
    expect(harness.repo.comments.filter((c) => c.issueNumber === issue).map((c) => c.body)).toEqual(
      ["Migration pull request: #3 (created)."],
    );
  });
});
