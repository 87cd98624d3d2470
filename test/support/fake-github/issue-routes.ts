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
import { repoOf, userJson, type FakeComment, type FakeRepo, type World } from "./state.js";

const commentsDocs = "https://docs.github.com/rest/issues/comments";

/** The JSON GitHub returns for an issue comment. */
export function commentJson(
  req: FakeRequest,
  repo: FakeRepo,
  comment: FakeComment,
): Record<string, unknown> {
  const api = `${req.baseUrl}/repos/${repo.owner}/${repo.name}`;
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${api}/issues/comments/${comment.id}`,
    html_url: `https://github.com/${repo.owner}/${repo.name}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${api}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: userJson(comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.user.type === "Bot" ? "NONE" : "OWNER",
  };
}

function withComment(
  world: World,
  req: FakeRequest,
  act: (repo: FakeRepo, comment: FakeComment) => Reply,
): Reply {
  const repo = repoOf(world, req.params);
  const comment = repo?.comments.find((c) => c.id === Number(req.params.id));
  return repo && comment ? act(repo, comment) : notFound();
}

function bodyOrError(req: FakeRequest): string | Reply {
  const body = stringField(req.body, "body");
  return (
    body ??
    validationFailed(
      { resource: "IssueComment", code: "missing_field", field: "body" },
      `${commentsDocs}#create-an-issue-comment`,
    )
  );
}

/** Issue comments: list (paginated), create, get, update, delete; 403 for read-only tokens. */
export function issueRoutes(world: World): Route[] {
  return [
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/issues/:number/comments",
      handler: (req) => {
        const repo = repoOf(world, req.params);
        if (!repo?.issues.has(Number(req.params.number))) return notFound();
        const comments = repo.comments.filter((c) => c.issueNumber === Number(req.params.number));
        const page = paginate(req, comments);
        return {
          ...page,
          body: (page.body as FakeComment[]).map((c) => commentJson(req, repo, c)),
        };
      },
    },
    {
      method: "POST",
      pattern: "/repos/:owner/:repo/issues/:number/comments",
      handler: (req) => {
        const repo = repoOf(world, req.params);
        if (!repo?.issues.has(Number(req.params.number))) return notFound();
        if (req.actor.readOnly) return notAccessible(`${commentsDocs}#create-an-issue-comment`);
        const body = bodyOrError(req);
        if (typeof body !== "string") return body;
        const now = world.now();
        const comment: FakeComment = {
          id: world.nextId(),
          issueNumber: Number(req.params.number),
          body,
          user: req.actor,
          createdAt: now,
          updatedAt: now,
        };
        repo.comments.push(comment);
        return { status: 201, body: commentJson(req, repo, comment) };
      },
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/issues/comments/:id",
      handler: (req) =>
        withComment(world, req, (repo, comment) => ({
          status: 200,
          body: commentJson(req, repo, comment),
        })),
    },
    {
      method: "PATCH",
      pattern: "/repos/:owner/:repo/issues/comments/:id",
      handler: (req) =>
        withComment(world, req, (repo, comment) => {
          if (req.actor.readOnly) return notAccessible(`${commentsDocs}#update-an-issue-comment`);
          const body = bodyOrError(req);
          if (typeof body !== "string") return body;
          comment.body = body;
          comment.updatedAt = world.now();
          return { status: 200, body: commentJson(req, repo, comment) };
        }),
    },
    {
      method: "DELETE",
      pattern: "/repos/:owner/:repo/issues/comments/:id",
      handler: (req) =>
        withComment(world, req, (repo, comment) => {
          if (req.actor.readOnly) return notAccessible(`${commentsDocs}#delete-an-issue-comment`);
          repo.comments.splice(repo.comments.indexOf(comment), 1);
          return { status: 204 };
        }),
    },
  ];
}
