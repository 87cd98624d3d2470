import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGithubClient } from "../../src/action/github-client.js";
import { ensureStickyComment } from "../../src/action/sticky-comment.js";
import { startFakeGithub, type FakeGithub } from "../support/fake-github.js";

const marker = "<!-- hybrid-pipeline:report -->";
let github: FakeGithub;
let issue: number;
const warnings: string[] = [];

beforeEach(async () => {
  github = await startFakeGithub();
  github.createRepo({ owner: "octo", repo: "app" });
  issue = github.createIssue("octo", "app", "A pull request");
  warnings.length = 0;
});

afterEach(() => github.close());

const client = (token = "ghs_writer") =>
  createGithubClient(token, (m) => warnings.push(m), github.url);
const target = (body: string) => ({
  owner: "octo",
  repo: "app",
  issue_number: issue,
  marker,
  body: `${marker}\n${body}`,
});

describe("ensureStickyComment", () => {
  it("creates the comment once, then finds it past the first page and edits it in place", async () => {
    for (let i = 0; i < 120; i++) github.addComment("octo", "app", issue, `chatter ${i}`);
    const created = await ensureStickyComment(await client(), target("run 1"));
    expect(created.kind).toBe("created");
    for (let i = 0; i < 5; i++) github.addComment("octo", "app", issue, `more chatter ${i}`);

    const updated = await ensureStickyComment(await client(), target("run 2"));
    expect(updated).toEqual({
      kind: "updated",
      id: created.kind === "created" ? created.id : -1,
      url: created.kind === "created" ? created.url : "",
    });
    const ours = github.repo("octo", "app").comments.filter((c) => c.body.includes(marker));
    expect(ours.map((c) => c.body)).toEqual([`${marker}\nrun 2`]);
    expect(
      github.requests.map((r) => `${r.method} ${r.path.replace(/\d+$/, "N")} ${r.status}`),
    ).toEqual([
      "GET /repos/octo/app/issues/1/comments 200",
      "GET /repos/octo/app/issues/1/comments 200",
      "POST /repos/octo/app/issues/1/comments 201",
      "GET /repos/octo/app/issues/1/comments 200",
      "GET /repos/octo/app/issues/1/comments 200",
      "PATCH /repos/octo/app/issues/comments/N 200",
    ]);
  });

  it("leaves an identical comment alone", async () => {
    await ensureStickyComment(await client(), target("same"));
    expect((await ensureStickyComment(await client(), target("same"))).kind).toBe("unchanged");
    expect(github.writeCount()).toBe(1);
  });

  it("returns forbidden for a read-only token instead of throwing", async () => {
    github.addToken(
      "ghs_reader",
      { login: "github-actions[bot]", id: 41898282, type: "Bot" },
      { readOnly: true },
    );
    expect(await ensureStickyComment(await client("ghs_reader"), target("x"))).toEqual({
      kind: "forbidden",
      message: expect.stringContaining("Resource not accessible by integration"),
    });
  });

  it("waits out a secondary rate limit and then writes", async () => {
    github.failNext({
      method: "POST",
      path: /\/comments$/,
      reply: "secondary-rate-limit",
      retryAfter: 1,
    });
    expect((await ensureStickyComment(await client(), target("x"))).kind).toBe("created");
    expect(warnings).toEqual([
      expect.stringMatching(/^GitHub secondary rate limit on POST .*: retrying in 1 s$/),
    ]);
  });

  it("refuses a body without the marker, which the next run could not find", async () => {
    await expect(
      ensureStickyComment(await client(), {
        owner: "octo",
        repo: "app",
        issue_number: issue,
        marker,
        body: "no marker",
      }),
    ).rejects.toThrow(TypeError);
  });
});
