import type { GitHub, RepoRef } from "./github.js";
import { readZip } from "./read-zip.js";

/** The artifact the Action uploads with candidate program files (`<stem>/<step>.json`, `.prompt.md`). */
export const programsArtifact = "hybrid-pipeline-programs";

/** Artifacts larger than this are not downloaded (program files are a few kilobytes each). */
const maxArtifactBytes = 20 * 1024 * 1024;

/**
 * The files of run `runId`'s programs artifact, by path inside the zip; undefined when the run
 * uploaded none (or it expired, or it is implausibly large).
 */
export async function downloadProgramsArtifact(
  octokit: GitHub,
  repo: RepoRef,
  runId: number,
): Promise<Map<string, Buffer> | undefined> {
  const artifacts = await octokit.paginate(octokit.rest.actions.listWorkflowRunArtifacts, {
    ...repo,
    run_id: runId,
    per_page: 100,
  });
  const artifact = artifacts.find((a) => a.name === programsArtifact && !a.expired);
  if (!artifact || artifact.size_in_bytes > maxArtifactBytes) return undefined;
  const { data } = await octokit.rest.actions.downloadArtifact({
    ...repo,
    artifact_id: artifact.id,
    archive_format: "zip",
  });
  return readZip(new Uint8Array(data as ArrayBuffer));
}
