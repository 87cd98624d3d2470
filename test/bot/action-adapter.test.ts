import { afterEach, describe, expect, it } from "vitest";
import { BotOctokit, runAppOnce } from "../../bot/index.js";
import { startFakeGithub, type FakeGithub } from "../support/fake-github.js";
import { corpusFile } from "./harness.js";

let github: FakeGithub;
afterEach(() => github.close());

async function setup(readOnly: boolean) {
  github = await startFakeGithub();
  const repo = github.createRepo({
    owner: "acme",
    repo: "pipelines",
    files: { "live.yaml": corpusFile("examples/claude_live_test.yaml") },
  });
  github.addToken(
    "ghs_job",
    { login: "github-actions[bot]", id: 41898282, type: "Bot" },
    { readOnly },
  );
  const Octokit = BotOctokit.defaults((o: ConstructorParameters<typeof BotOctokit>[0] = {}) => ({
    ...o,
    retry: { enabled: false },
    throttle: { ...o.throttle, enabled: false },
  }));
  return {
    repo,
    options: {
      token: "ghs_job",
      repository: "acme/pipelines",
      apiUrl: github.url,
      Octokit,
      logLevel: "fatal" as const,
    },
  };
}

describe("bot: the scheduled-Action entry", () => {
  it("runs the app once over GITHUB_REPOSITORY with the job token", async () => {
    const { repo, options } = await setup(false);
    await runAppOnce(options);
    expect(
      repo.pulls().map((p) => ({ state: p.state, head: p.pull!.head, author: p.user.login })),
    ).toEqual([{ state: "open", head: "hybrid-pipeline/migrate", author: "github-actions[bot]" }]);
    expect(github.requests.some((r) => r.path.startsWith("/app/"))).toBe(false);
    await runAppOnce(options);
    expect(repo.pulls()).toHaveLength(1);
  });

  it("fails loudly when the job token may not write", async () => {
    const { repo, options } = await setup(true);
    await expect(runAppOnce(options)).rejects.toThrow(/Resource not accessible by integration/);
    expect(repo.refs.has("heads/hybrid-pipeline/migrate")).toBe(false);
  });
});
