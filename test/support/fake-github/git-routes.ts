import { directoriesOf, type GitCommit, type TreeFile } from "./git-store.js";
import {
  notAccessible,
  notFound,
  stringField,
  unprocessable,
  type FakeRequest,
  type Reply,
  type Route,
} from "./http.js";
import { repoOf, type FakeRepo, type World } from "./state.js";

const refsDocs = "https://docs.github.com/rest/git/refs";

function refJson(req: FakeRequest, repo: FakeRepo, ref: string): Record<string, unknown> {
  const api = `${req.baseUrl}/repos/${repo.owner}/${repo.name}/git`;
  const sha = repo.refs.get(ref)!;
  return {
    ref: `refs/${ref}`,
    node_id: `REF_${ref}`,
    url: `${api}/refs/${ref}`,
    object: { sha, type: "commit", url: `${api}/commits/${sha}` },
  };
}

function commitJson(req: FakeRequest, repo: FakeRepo, commit: GitCommit): Record<string, unknown> {
  const api = `${req.baseUrl}/repos/${repo.owner}/${repo.name}/git`;
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    url: `${api}/commits/${commit.sha}`,
    message: commit.message,
    author: commit.author,
    committer: commit.committer,
    tree: { sha: commit.tree, url: `${api}/trees/${commit.tree}` },
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/commits/${sha}` })),
    verification: { verified: false, reason: "unsigned", signature: null, payload: null },
  };
}

/** Lists a tree as GitHub does: one level, or every entry (directories too) with `recursive`. */
function treeJson(
  repo: FakeRepo,
  sha: string,
  files: Map<string, TreeFile>,
  recursive: boolean,
): Record<string, unknown> {
  const entries: Array<Record<string, unknown>> = [];
  for (const dir of directoriesOf(files)) {
    if (recursive || !dir.includes("/"))
      entries.push({ path: dir, mode: "040000", type: "tree", sha: repo.git.subtree(files, dir) });
  }
  for (const [path, file] of files) {
    if (recursive || !path.includes("/"))
      entries.push({
        path,
        mode: file.mode,
        type: "blob",
        sha: file.sha,
        size: repo.git.blobs.get(file.sha)?.length ?? 0,
      });
  }
  entries.sort((a, b) => (String(a.path) < String(b.path) ? -1 : 1));
  return { sha, tree: entries, truncated: false };
}

/** A tree SHA, a commit SHA or a branch name, resolved to a tree. */
function resolveTree(repo: FakeRepo, treeish: string): [string, Map<string, TreeFile>] | undefined {
  const commitSha = repo.refs.get(`heads/${treeish}`) ?? treeish;
  const sha = repo.git.commits.get(commitSha)?.tree ?? treeish;
  const files = repo.git.filesOf(sha);
  return files ? [sha, files] : undefined;
}

function createTree(req: FakeRequest, repo: FakeRepo): Reply {
  const baseSha = stringField(req.body, "base_tree");
  const base = baseSha ? repo.git.filesOf(baseSha) : new Map<string, TreeFile>();
  if (!base)
    return unprocessable(
      "base_tree is not a valid tree oid",
      "https://docs.github.com/rest/git/trees#create-a-tree",
    );
  const files = new Map(base);
  const entries = Array.isArray(req.body.tree)
    ? (req.body.tree as Array<Record<string, unknown>>)
    : [];
  for (const entry of entries) {
    const path = String(entry.path);
    if (entry.sha === null) files.delete(path);
    else if (typeof entry.content === "string")
      files.set(path, {
        mode: String(entry.mode ?? "100644"),
        sha: repo.git.putBlob(Buffer.from(entry.content, "utf8")),
      });
    else if (typeof entry.sha === "string" && repo.git.blobs.has(entry.sha))
      files.set(path, { mode: String(entry.mode ?? "100644"), sha: entry.sha });
    else
      return unprocessable(
        `tree.sha ${String(entry.sha)} is not a valid blob`,
        "https://docs.github.com/rest/git/trees#create-a-tree",
      );
  }
  const sha = repo.git.putTree(files);
  return { status: 201, body: treeJson(repo, sha, files, false) };
}

function createCommit(req: FakeRequest, repo: FakeRepo, now: string): Reply {
  const tree = stringField(req.body, "tree");
  const parents = Array.isArray(req.body.parents) ? req.body.parents.map(String) : [];
  if (!tree || !repo.git.trees.has(tree))
    return unprocessable(
      "Tree SHA does not exist",
      "https://docs.github.com/rest/git/commits#create-a-commit",
    );
  if (parents.some((p) => !repo.git.commits.has(p)))
    return unprocessable(
      "Parent SHA does not exist or is not a commit object",
      "https://docs.github.com/rest/git/commits#create-a-commit",
    );
  const given = req.body.author as { name?: string; email?: string } | undefined;
  const author = {
    name: given?.name ?? req.actor.login,
    email: given?.email ?? `${req.actor.id}+${req.actor.login}@users.noreply.github.com`,
    date: now,
  };
  const commit = repo.git.putCommit({
    tree,
    parents,
    message: stringField(req.body, "message") ?? "",
    author,
    committer: { name: "GitHub", email: "noreply@github.com", date: now },
  });
  return { status: 201, body: commitJson(req, repo, commit) };
}

function writeRef(req: FakeRequest, repo: FakeRepo, ref: string, create: boolean): Reply {
  const sha = stringField(req.body, "sha") ?? "";
  if (!repo.git.commits.has(sha)) return unprocessable("Object does not exist", refsDocs);
  const current = repo.refs.get(ref);
  if (create && current)
    return unprocessable("Reference already exists", `${refsDocs}#create-a-reference`);
  if (!create && !current)
    return unprocessable("Reference does not exist", `${refsDocs}#update-a-reference`);
  if (!create && req.body.force !== true && !repo.git.isAncestor(current!, sha))
    return unprocessable("Update is not a fast forward", `${refsDocs}#update-a-reference`);
  repo.refs.set(ref, sha);
  return { status: create ? 201 : 200, body: refJson(req, repo, ref) };
}

/** Git Data API: refs, commits, trees, blobs. */
export function gitRoutes(world: World): Route[] {
  const withRepo =
    (write: boolean, act: (req: FakeRequest, repo: FakeRepo) => Reply) => (req: FakeRequest) => {
      const repo = repoOf(world, req.params);
      if (!repo) return notFound();
      return write && req.actor.readOnly ? notAccessible() : act(req, repo);
    };
  return [
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/git/ref/:ref*",
      handler: withRepo(false, (req, repo) =>
        repo.refs.has(req.params.ref!)
          ? { status: 200, body: refJson(req, repo, req.params.ref!) }
          : notFound(),
      ),
    },
    {
      method: "POST",
      pattern: "/repos/:owner/:repo/git/refs",
      handler: withRepo(true, (req, repo) =>
        writeRef(req, repo, (stringField(req.body, "ref") ?? "").replace(/^refs\//, ""), true),
      ),
    },
    {
      method: "PATCH",
      pattern: "/repos/:owner/:repo/git/refs/:ref*",
      handler: withRepo(true, (req, repo) => writeRef(req, repo, req.params.ref!, false)),
    },
    {
      method: "DELETE",
      pattern: "/repos/:owner/:repo/git/refs/:ref*",
      handler: withRepo(true, (req, repo) =>
        repo.refs.delete(req.params.ref!)
          ? { status: 204 }
          : unprocessable("Reference does not exist", refsDocs),
      ),
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/git/commits/:sha",
      handler: withRepo(false, (req, repo) => {
        const commit = repo.git.commits.get(req.params.sha!);
        return commit ? { status: 200, body: commitJson(req, repo, commit) } : notFound();
      }),
    },
    {
      method: "POST",
      pattern: "/repos/:owner/:repo/git/commits",
      handler: withRepo(true, (req, repo) => createCommit(req, repo, world.now())),
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/git/trees/:sha*",
      handler: withRepo(false, (req, repo) => {
        const tree = resolveTree(repo, req.params.sha!);
        const recursive = ["1", "true"].includes(req.query.get("recursive") ?? "");
        return tree
          ? { status: 200, body: treeJson(repo, tree[0], tree[1], recursive) }
          : notFound();
      }),
    },
    {
      method: "POST",
      pattern: "/repos/:owner/:repo/git/trees",
      handler: withRepo(true, createTree),
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/git/blobs/:sha",
      handler: withRepo(false, (req, repo) => {
        const blob = repo.git.blobs.get(req.params.sha!);
        return blob
          ? {
              status: 200,
              body: {
                sha: req.params.sha,
                size: blob.length,
                encoding: "base64",
                content: blob.toString("base64"),
              },
            }
          : notFound();
      }),
    },
    {
      method: "POST",
      pattern: "/repos/:owner/:repo/git/blobs",
      handler: withRepo(true, (req, repo) => {
        const content = stringField(req.body, "content") ?? "";
        const sha = repo.git.putBlob(
          Buffer.from(content, req.body.encoding === "base64" ? "base64" : "utf8"),
        );
        return {
          status: 201,
          body: { sha, url: `${req.baseUrl}/repos/${repo.owner}/${repo.name}/git/blobs/${sha}` },
        };
      }),
    },
  ];
}
