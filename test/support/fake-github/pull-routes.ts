import {
  notAccessible,
  notFound,
  paginate,
  stringField,
  validationFailed,
  type FakeRequest,
  type Reply,
  type Route,
} from "./http.js";
import { repoJson } from "./repo-routes.js";
import { repoOf, userJson, type FakeIssue, type FakeRepo, type World } from "./state.js";

const pullsDocs = "https://docs.github.com/rest/pulls/pulls";

/** The JSON GitHub returns for a pull request. */
export function pullJson(
  req: FakeRequest,
  repo: FakeRepo,
  issue: FakeIssue,
): Record<string, unknown> {
  const pull = issue.pull!;
  const side = (ref: string, sha: string) => ({
    ref,
    sha,
    label: `${repo.owner}:${ref}`,
    repo: repoJson(req, repo),
    user: { login: repo.owner },
  });
  return {
    number: issue.number,
    id: repo.id * 100_000 + issue.number,
    node_id: `PR_${issue.number}`,
    html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${issue.number}`,
    url: `${req.baseUrl}/repos/${repo.owner}/${repo.name}/pulls/${issue.number}`,
    state: issue.state,
    title: issue.title,
    body: issue.body,
    user: userJson(issue.user),
    labels: issue.labels.map((name) => ({ name })),
    draft: false,
    merged: pull.merged,
    merged_at: pull.merged ? "2026-01-01T00:00:00Z" : null,
    merge_commit_sha: pull.mergeCommitSha,
    head: side(pull.head, repo.refs.get(`heads/${pull.head}`) ?? pull.headSha),
    base: side(pull.base, repo.refs.get(`heads/${pull.base}`) ?? ""),
  };
}

function createPull(req: FakeRequest, repo: FakeRepo): Reply {
  const head = (stringField(req.body, "head") ?? "").replace(new RegExp(`^${repo.owner}:`), "");
  const base = stringField(req.body, "base") ?? "";
  const title = stringField(req.body, "title");
  const docs = `${pullsDocs}#create-a-pull-request`;
  if (!title)
    return validationFailed(
      { resource: "PullRequest", code: "missing_field", field: "title" },
      docs,
    );
  if (!repo.refs.has(`heads/${base}`))
    return validationFailed({ resource: "PullRequest", code: "invalid", field: "base" }, docs);
  if (!repo.refs.has(`heads/${head}`))
    return validationFailed({ resource: "PullRequest", code: "invalid", field: "head" }, docs);
  if (
    repo.pulls().some((p) => p.state === "open" && p.pull!.head === head && p.pull!.base === base)
  ) {
    return validationFailed(
      {
        resource: "PullRequest",
        code: "custom",
        message: `A pull request already exists for ${repo.owner}:${head}.`,
      },
      docs,
    );
  }
  if (repo.commitsAhead(head, base).length === 0) {
    return validationFailed(
      {
        resource: "PullRequest",
        code: "custom",
        message: `No commits between ${base} and ${head}`,
      },
      docs,
    );
  }
  const number = repo.nextNumber++;
  const issue: FakeIssue = {
    number,
    title,
    body: stringField(req.body, "body") ?? null,
    state: "open",
    user: req.actor,
    labels: [],
    pull: {
      head,
      base,
      merged: false,
      headSha: repo.refs.get(`heads/${head}`)!,
      mergeCommitSha: null,
    },
  };
  repo.issues.set(number, issue);
  return { status: 201, body: pullJson(req, repo, issue) };
}

function updatePull(req: FakeRequest, repo: FakeRepo, issue: FakeIssue): Reply {
  const title = stringField(req.body, "title");
  const body = stringField(req.body, "body");
  const state = stringField(req.body, "state");
  if (
    state === "open" &&
    issue.state === "closed" &&
    (issue.pull!.merged || !repo.refs.has(`heads/${issue.pull!.head}`))
  ) {
    return validationFailed({
      resource: "PullRequest",
      code: "custom",
      field: "state",
      message:
        "state cannot be changed. The repository that submitted this pull request has been deleted.",
    });
  }
  if (title !== undefined) issue.title = title;
  if (body !== undefined) issue.body = body;
  if (state === "open" || state === "closed") issue.state = state;
  return { status: 200, body: pullJson(req, repo, issue) };
}

/** Pull requests: list (filtered by state/head/base, paginated), get, create, update. */
export function pullRoutes(world: World): Route[] {
  const withPull =
    (write: boolean, act: (req: FakeRequest, repo: FakeRepo, issue: FakeIssue) => Reply) =>
    (req: FakeRequest) => {
      const repo = repoOf(world, req.params);
      const issue = repo?.issues.get(Number(req.params.number));
      if (!repo || !issue?.pull) return notFound();
      return write && req.actor.readOnly ? notAccessible() : act(req, repo, issue);
    };
  return [
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/pulls",
      handler: (req) => {
        const repo = repoOf(world, req.params);
        if (!repo) return notFound();
        const state = req.query.get("state") ?? "open";
        const head = req.query.get("head");
        const base = req.query.get("base");
        const pulls = repo
          .pulls()
          .filter((p) => state === "all" || p.state === state)
          .filter((p) => !head || `${repo.owner}:${p.pull!.head}` === head)
          .filter((p) => !base || p.pull!.base === base)
          .sort((a, b) => b.number - a.number);
        const page = paginate(req, pulls);
        return { ...page, body: (page.body as FakeIssue[]).map((p) => pullJson(req, repo, p)) };
      },
    },
    {
      method: "POST",
      pattern: "/repos/:owner/:repo/pulls",
      handler: (req) => {
        const repo = repoOf(world, req.params);
        if (!repo) return notFound();
        return req.actor.readOnly
          ? notAccessible(`${pullsDocs}#create-a-pull-request`)
          : createPull(req, repo);
      },
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/pulls/:number",
      handler: withPull(false, (req, repo, issue) => ({
        status: 200,
        body: pullJson(req, repo, issue),
      })),
    },
    {
      method: "PATCH",
      pattern: "/repos/:owner/:repo/pulls/:number",
      handler: withPull(true, updatePull),
    },
  ];
}
