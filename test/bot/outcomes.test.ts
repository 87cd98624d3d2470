import { afterEach, describe, expect, it } from "vitest";
import { migrateSource } from "../../src/migrate/index.js";
import { changedOnBranch, corpusFile, startHarness, type Harness } from "./harness.js";

const branch = "hybrid-pipeline/migrate";
let harness: Harness;
afterEach(async () => {
  await harness?.close();
  // Every request the bot made is one the stand-in knows (no silent 404s).
  expect(harness?.github.unexpected).toEqual([]);
});

function migrated(path: string): string {
  const outcome = migrateSource(corpusFile(path), path);
  if (outcome.kind !== "migrated") throw new Error(`${path} did not migrate: ${outcome.kind}`);
  return outcome.text;
}

describe("bot: what the pull request carries", () => {
  it("migrates only the files that still need it and names the ones already migrated", async () => {
    const done = migrated("examples/claude_extract_example.yaml");
    harness = await startHarness({
      "done.yaml": done,
      "todo.yaml": corpusFile("examples/claude_live_test.yaml"),
    });
    await harness.install();
    expect(changedOnBranch(harness.repo, branch)).toEqual(["todo.yaml"]);
    expect(harness.repo.readFile(branch, "done.yaml")).toBe(done);
    const body = harness.repo.issues.get(1)!.body!;
    expect(body).toContain("Already migrated: `done.yaml`.");
    expect(body).toContain(
      "- `todo.yaml`: adds `dspy_config` and `hybrid_config`; 1 step(s) made optimizable",
    );
    expect(body).toContain(
      "  - `simple_claude_test` (`claude_smart`): signature `prompt -> output`, training data `training_data/simple_claude_test.yaml`",
    );
    expect(body).toContain(
      "Labelled examples (JSONL, JSON or YAML records of `input` → `output`) at: `training_data/simple_claude_test.yaml`.",
    );
  });

  it("lists refused files with the reason in the body and leaves them untouched", async () => {
    const refused = corpusFile("examples/hooks_example.yaml");
    harness = await startHarness({
      "hooks.yaml": refused,
      "live.yaml": corpusFile("examples/claude_live_test.yaml"),
      "blog.yaml": corpusFile("blog_generator.yaml"),
    });
    await harness.install();
    expect(changedOnBranch(harness.repo, branch)).toEqual(["live.yaml"]);
    expect(harness.repo.readFile(branch, "hooks.yaml")).toBe(refused);
    const body = harness.repo.issues.get(1)!.body!;
    expect(body).toContain(
      "### Not migrated\n- `hooks.yaml`: 25:15: pipeline_ex rejects this file: step 'safe_bash_commands' prompt must be an array of prompt parts \\(write it as \\[\\{type: static, content: \"...\"\\}\\]\\)",
    );
    expect(body).not.toContain("blog.yaml");
  });

  it("follows .github/hybrid-pipeline.yml: branch, labels, excludes, migration values, scaffolds, onboarding", async () => {
    const config = [
      "branch: bots/hybrid",
      "labels: [ai, pipelines]",
      "exclude: ['legacy/**']",
      "scaffold_training_data: true",
      "onboarding: true",
      "migration:",
      "  mode: evaluation",
      "  cache_enabled: false",
      "",
    ].join("\n");
    harness = await startHarness({
      ".github/hybrid-pipeline.yml": config,
      "live.yaml": corpusFile("examples/claude_live_test.yaml"),
      "legacy/old.yaml": corpusFile("examples/claude_live_test.yaml"),
    });
    await harness.install();
    expect(changedOnBranch(harness.repo, "bots/hybrid")).toEqual([
      ".github/workflows/hybrid-pipeline.yml",
      "live.yaml",
      "training_data/simple_claude_test.yaml",
    ]);
    expect(harness.repo.readFile("bots/hybrid", "live.yaml")).toMatch(/cache_enabled: false/);
    expect(harness.repo.readFile("bots/hybrid", "live.yaml")).toMatch(/mode: evaluation/);
    expect(harness.repo.readFile("bots/hybrid", ".github/workflows/hybrid-pipeline.yml")).toContain(
      "            live.yaml\n",
    );
    expect(harness.repo.pulls().map((p) => p.labels)).toEqual([["ai", "pipelines"]]);
    expect([...harness.repo.labels.keys()].sort()).toEqual(["ai", "pipelines"]);
  });
});

describe("bot: a broken configuration file", () => {
  it("writes nothing on install and answers the command with the problems", async () => {
    harness = await startHarness({
      ".github/hybrid-pipeline.yml": "labels: 5\nbranchh: x\n",
      "live.yaml": corpusFile("examples/claude_live_test.yaml"),
    });
    await harness.install();
    expect(harness.github.writeCount()).toBe(0);
    const issue = harness.github.createIssue("acme", "pipelines");
    harness.repo.permissions.set("alice", "admin");
    await harness.comment(issue, "/hybrid-pipeline migrate", {
      login: "alice",
      id: 7,
      type: "User",
    });
    expect(harness.repo.refs.has(`heads/${branch}`)).toBe(false);
    expect(harness.repo.comments.map((c) => c.body)).toEqual([
      [
        "I could not read `.github/hybrid-pipeline.yml`; fix these and comment again:",
        "- .github/hybrid-pipeline.yml: /branchh: Unexpected property",
        "- .github/hybrid-pipeline.yml: /labels: Expected array",
      ].join("\n"),
    ]);
  });
});
