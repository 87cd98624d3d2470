import { notFound, type FakeRequest, type Route } from "./http.js";
import { repoOf, type FakeArtifact, type FakeRepo, type World } from "./state.js";

function artifactJson(req: FakeRequest, repo: FakeRepo, a: FakeArtifact): Record<string, unknown> {
  const base = `${req.baseUrl}/repos/${repo.owner}/${repo.name}/actions/artifacts/${a.id}`;
  return {
    id: a.id,
    node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
    name: a.name,
    size_in_bytes: a.zip.length,
    url: base,
    archive_download_url: `${base}/zip`,
    expired: a.expired,
    created_at: "2026-01-01T00:00:00Z",
    expires_at: "2026-04-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    workflow_run: { id: a.runId, head_branch: repo.defaultBranch },
  };
}

/**
 * Workflow run artifacts: the list of a run's artifacts and the zip download, which GitHub answers
 * with a 302 to a short-lived storage URL (here a path of the fake itself).
 */
export function artifactRoutes(world: World): Route[] {
  return [
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/actions/runs/:run/artifacts",
      handler: (req) => {
        const repo = repoOf(world, req.params);
        if (!repo) return notFound();
        const artifacts = [...repo.artifacts.values()]
          .filter((a) => a.runId === Number(req.params.run))
          .map((a) => artifactJson(req, repo, a));
        return { status: 200, body: { total_count: artifacts.length, artifacts } };
      },
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/actions/artifacts/:id/zip",
      handler: (req) => {
        const artifact = repoOf(world, req.params)?.artifacts.get(Number(req.params.id));
        if (!artifact || artifact.expired) return notFound();
        const location = `${req.baseUrl}/_artifact-storage/${req.params.owner}/${req.params.repo}/${artifact.id}.zip`;
        return { status: 302, headers: { location } };
      },
    },
    {
      method: "GET",
      pattern: "/_artifact-storage/:owner/:repo/:id.zip",
      handler: (req) => {
        const artifact = repoOf(world, req.params)?.artifacts.get(Number(req.params.id));
        return artifact ? { status: 200, bytes: artifact.zip } : notFound();
      },
    },
  ];
}
