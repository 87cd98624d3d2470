import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeGithub, type FakeGithub } from "../support/fake-github.js";

let github: FakeGithub;
let octokit: Octokit;

beforeEach(async () => {
  github = await startFakeGithub();
  github.createRepo({ owner: "acme", repo: "pipelines" });
  const quiet = () => undefined;
  octokit = new Octokit({
    baseUrl: github.url,
    auth: "job-token",
    retry: { enabled: false },
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
});
afterEach(() => github.close());

describe("fake GitHub: issue comments", () => {
  it("pages comments with per_page, page and Link headers that octokit.paginate follows", async () => {
    const issue = github.createIssue("acme", "pipelines");
    for (let i = 0; i < 7; i++) github.addComment("acme", "pipelines", issue, `comment ${i}`);
    const first = await octokit.rest.issues.listComments({
      owner: "acme",
      repo: "pipelines",
      issue_number: issue,
      per_page: 3,
    });
    expect(first.data.map((c) => c.body)).toEqual(["comment 0", "comment 1", "comment 2"]);
    expect(first.headers.link).toBe(
      `<${github.url}/repos/acme/pipelines/issues/1/comments?per_page=3&page=2>; rel="next", <${github.url}/repos/acme/pipelines/issues/1/comments?per_page=3&page=3>; rel="last"`,
    );
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner: "acme",
      repo: "pipelines",
      issue_number: issue,
      per_page: 3,
    });
    expect(all.map((c) => c.body)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `comment ${i}`));
  });

  it("creates and updates a comment in place, authored by the token's user", async () => {
    const issue = github.createIssue("acme", "pipelines");
    const created = await octokit.rest.issues.createComment({
      owner: "acme",
      repo: "pipelines",
      issue_number: issue,
      body: "first",
    });
    expect(created.status).toBe(201);
    expect(created.data.user?.login).toBe("github-actions[bot]");
    await octokit.rest.issues.updateComment({
      owner: "acme",
      repo: "pipelines",
      comment_id: created.data.id,
      body: "second",
    });
    expect(github.repo("acme", "pipelines").comments.map((c) => c.body)).toEqual(["second"]);
    expect(github.writeCount()).toBe(2);
  });

  it("answers a read-only token's write with 403 Resource not accessible by integration", async () => {
    github.readOnly = true;
    const issue = github.createIssue("acme", "pipelines");
    const error = await octokit.rest.issues
      .createComment({ owner: "acme", repo: "pipelines", issue_number: issue, body: "x" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 403,
      message: expect.stringContaining("Resource not accessible by integration"),
    });
    expect(github.repo("acme", "pipelines").comments).toEqual([]);
  });

  it("answers 404 for a comment on an issue that does not exist", async () => {
    const error = await octokit.rest.issues
      .createComment({ owner: "acme", repo: "pipelines", issue_number: 99, body: "x" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404 });
  });
});

describe("fake GitHub: git data and pull requests answer with GitHub's error bodies", () => {
  it("refuses a second ref, a duplicate pull request and a pull request without commits", async () => {
    const repo = github.repo("acme", "pipelines");
    const main = repo.refs.get("heads/main")!;
    await octokit.rest.git.createRef({
      owner: "acme",
      repo: "pipelines",
      ref: "refs/heads/empty",
      sha: main,
    });
    const again = await octokit.rest.git
      .createRef({ owner: "acme", repo: "pipelines", ref: "refs/heads/empty", sha: main })
      .catch((e: unknown) => e);
    expect(again).toMatchObject({
      status: 422,
      response: { data: { message: "Reference already exists" } },
    });

    const noCommits = await octokit.rest.pulls
      .create({ owner: "acme", repo: "pipelines", head: "empty", base: "main", title: "t" })
      .catch((e: unknown) => e);
    expect(noCommits).toMatchObject({
      status: 422,
      response: {
        data: {
          message: "Validation Failed",
          errors: [{ code: "custom", message: "No commits between main and empty" }],
        },
      },
    });

    const { data: tree } = await octokit.rest.git.createTree({
      owner: "acme",
      repo: "pipelines",
      base_tree: repo.git.commits.get(main)!.tree,
      tree: [{ path: "a/b.txt", mode: "100644", type: "blob", content: "b\n" }],
    });
    const { data: commit } = await octokit.rest.git.createCommit({
      owner: "acme",
      repo: "pipelines",
      message: "add b",
      tree: tree.sha,
      parents: [main],
    });
    await octokit.rest.git.updateRef({
      owner: "acme",
      repo: "pipelines",
      ref: "heads/empty",
      sha: commit.sha,
    });
    await octokit.rest.pulls.create({
      owner: "acme",
      repo: "pipelines",
      head: "empty",
      base: "main",
      title: "t",
    });
    const duplicate = await octokit.rest.pulls
      .create({ owner: "acme", repo: "pipelines", head: "empty", base: "main", title: "t" })
      .catch((e: unknown) => e);
    expect(duplicate).toMatchObject({
      status: 422,
      response: {
        data: { errors: [{ message: "A pull request already exists for acme:empty." }] },
      },
    });

    const { data: listed } = await octokit.rest.git.getTree({
      owner: "acme",
      repo: "pipelines",
      tree_sha: commit.sha,
      recursive: "1",
    });
    expect(listed.tree.map((e) => `${e.type} ${e.path}`)).toEqual([
      "blob README.md",
      "tree a",
      "blob a/b.txt",
    ]);
    expect(repo.readFile("empty", "a/b.txt")).toBe("b\n");
  });

  it("answers an injected secondary rate limit with 403, retry-after and GitHub's message", async () => {
    github.failNext({
      method: "GET",
      path: /^\/repos\/acme\/pipelines$/,
      reply: "secondary-rate-limit",
      retryAfter: 7,
    });
    const error = await octokit.rest.repos
      .get({ owner: "acme", repo: "pipelines" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 403,
      response: { headers: { "retry-after": "7" } },
      message: expect.stringMatching(/secondary rate limit/),
    });
    expect(
      (await octokit.rest.repos.get({ owner: "acme", repo: "pipelines" })).data.default_branch,
    ).toBe("main");
  });
});
