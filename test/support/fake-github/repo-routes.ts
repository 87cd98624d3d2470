import { randomBytes } from "node:crypto";
import {
  notAccessible,
  notFound,
  stringField,
  validationFailed,
  type FakeRequest,
  type Reply,
  type Route,
} from "./http.js";
import { repoOf, userJson, type FakeRepo, type World } from "./state.js";

/** The JSON GitHub returns for a repository. */
export function repoJson(req: FakeRequest, repo: FakeRepo): Record<string, unknown> {
  return {
    id: repo.id,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: { login: repo.owner, id: 1, type: "User" },
    private: false,
    default_branch: repo.defaultBranch,
    url: `${req.baseUrl}/repos/${repo.owner}/${repo.name}`,
    html_url: `https://github.com/${repo.owner}/${repo.name}`,
  };
}

function labelJson(repo: FakeRepo, name: string): Record<string, unknown> {
  const label = repo.labels.get(name.toLowerCase())!;
  return {
    id: label.id,
    name: label.name,
    color: label.color,
    description: label.description,
    default: false,
  };
}

function withRepo(world: World, req: FakeRequest, act: (repo: FakeRepo) => Reply): Reply {
  const repo = repoOf(world, req.params);
  return repo ? act(repo) : notFound();
}

function contents(req: FakeRequest, repo: FakeRepo): Reply {
  const ref = req.query.get("ref") ?? repo.defaultBranch;
  const sha = repo.refs.get(`heads/${ref}`) ?? (repo.git.commits.has(ref) ? ref : undefined);
  const path = req.params.path!;
  const file = sha ? repo.git.filesOf(repo.git.commits.get(sha)!.tree)?.get(path) : undefined;
  if (!file) return notFound();
  const content = repo.git.blobs.get(file.sha)!;
  if (/raw/.test(String(req.headers.accept)))
    return { status: 200, body: content.toString("utf8"), raw: true };
  const name = path.split("/").pop()!;
  return {
    status: 200,
    body: {
      type: "file",
      encoding: "base64",
      size: content.length,
      name,
      path,
      sha: file.sha,
      content: content.toString("base64"),
    },
  };
}

/** Installation tokens, repository, contents, labels, issues and collaborator permission. */
export function repoRoutes(world: World, hooks: { issueToken: (token: string) => void }): Route[] {
  return [
    {
      method: "POST",
      pattern: "/app/installations/:id/access_tokens",
      handler: () => {
        const token = `ghs_${randomBytes(18).toString("hex")}`;
        hooks.issueToken(token);
        const expires = new Date(Date.now() + 3_600_000).toISOString();
        return {
          status: 201,
          body: {
            token,
            expires_at: expires,
            permissions: {
              contents: "write",
              pull_requests: "write",
              issues: "write",
              metadata: "read",
              actions: "read",
            },
            repository_selection: "all",
          },
        };
      },
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo",
      handler: (req) =>
        withRepo(world, req, (repo) => ({ status: 200, body: repoJson(req, repo) })),
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/contents/:path*",
      handler: (req) => withRepo(world, req, (repo) => contents(req, repo)),
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/labels/:name",
      handler: (req) =>
        withRepo(world, req, (repo) =>
          repo.labels.has(req.params.name!.toLowerCase())
            ? { status: 200, body: labelJson(repo, req.params.name!) }
            : notFound(),
        ),
    },
    {
      method: "POST",
      pattern: "/repos/:owner/:repo/labels",
      handler: (req) =>
        withRepo(world, req, (repo) => {
          if (req.actor.readOnly) return notAccessible();
          const name = stringField(req.body, "name");
          if (!name)
            return validationFailed({ resource: "Label", code: "missing_field", field: "name" });
          if (repo.labels.has(name.toLowerCase()))
            return validationFailed({ resource: "Label", code: "already_exists", field: "name" });
          repo.labels.set(name.toLowerCase(), {
            id: world.nextId(),
            name,
            color: stringField(req.body, "color") ?? "ededed",
            description: stringField(req.body, "description") ?? null,
          });
          return { status: 201, body: labelJson(repo, name) };
        }),
    },
    {
      method: "POST",
      pattern: "/repos/:owner/:repo/issues/:number/labels",
      handler: (req) =>
        withRepo(world, req, (repo) => {
          const issue = repo.issues.get(Number(req.params.number));
          if (!issue) return notFound();
          if (req.actor.readOnly) return notAccessible();
          const names = Array.isArray(req.body.labels)
            ? req.body.labels.filter((l): l is string => typeof l === "string")
            : [];
          for (const name of names) {
            // GitHub creates a label that does not exist yet, grey and without description.
            if (!repo.labels.has(name.toLowerCase()))
              repo.labels.set(name.toLowerCase(), {
                id: world.nextId(),
                name,
                color: "ededed",
                description: null,
              });
            if (!issue.labels.some((l) => l.toLowerCase() === name.toLowerCase()))
              issue.labels.push(name);
          }
          return { status: 200, body: issue.labels.map((name) => labelJson(repo, name)) };
        }),
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/collaborators/:user/permission",
      handler: (req) =>
        withRepo(world, req, (repo) => {
          const permission = repo.permissions.get(req.params.user!) ?? "read";
          const roleName = permission === "read" ? "read" : permission;
          return {
            status: 200,
            body: {
              permission:
                permission === "maintain" ? "write" : permission === "triage" ? "read" : permission,
              role_name: roleName,
              user: userJson({ login: req.params.user!, id: 1, type: "User" }),
            },
          };
        }),
    },
  ];
}
