import picomatch from "picomatch";
import type { GitHub, RepoRef } from "./github.js";

/** A file of the base tree. */
export interface TreeFile {
  path: string;
  sha: string;
}

/** The base tree as the bot sees it: its SHA, every file path, and the pipeline files read. */
export interface PipelineScan {
  treeSha: string;
  paths: Set<string>;
  pipelines: Array<TreeFile & { text: string }>;
  truncated: boolean;
}

/** Only files with a top-level `workflow:` key are pipeline_ex pipelines; other YAML is not ours. */
const workflowKey = /^workflow\s*:/m;

/**
 * Lists the tree of `commitSha` with ONE recursive `git.getTree`, keeps paths matching
 * `paths` but not `exclude`, and reads only those blobs (a few at a time).
 */
export async function findPipelineFiles(
  octokit: GitHub,
  repo: RepoRef,
  commitSha: string,
  globs: { paths: string[]; exclude: string[] },
): Promise<PipelineScan> {
  const { data: tree } = await octokit.rest.git.getTree({
    ...repo,
    tree_sha: commitSha,
    recursive: "1",
  });
  const isCandidate = picomatch(globs.paths, { dot: true, ignore: globs.exclude });
  const files = tree.tree
    .filter((e) => e.type === "blob" && e.path && e.sha)
    .map((e) => ({ path: e.path!, sha: e.sha! }));
  const candidates = files.filter((f) => isCandidate(f.path));
  const pipelines: PipelineScan["pipelines"] = [];
  for (let i = 0; i < candidates.length; i += 8) {
    const batch = await Promise.all(
      candidates.slice(i, i + 8).map(async (file) => {
        const { data } = await octokit.rest.git.getBlob({ ...repo, file_sha: file.sha });
        return {
          ...file,
          text: Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8").toString(
            "utf8",
          ),
        };
      }),
    );
    pipelines.push(...batch.filter((f) => workflowKey.test(f.text)));
  }
  return {
    treeSha: tree.sha,
    paths: new Set(files.map((f) => f.path)),
    pipelines,
    truncated: tree.truncated,
  };
}

/** Does any of `paths` match the pipeline globs (or is it the bot's config file)? */
export function touchesPipelines(
  paths: string[],
  globs: { paths: string[]; exclude: string[] },
  configFile: string,
): boolean {
  const isCandidate = picomatch(globs.paths, { dot: true, ignore: globs.exclude });
  return paths.some((p) => p === configFile || isCandidate(p));
}
