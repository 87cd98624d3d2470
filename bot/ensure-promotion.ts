import type { BotConfig } from "./config.js";
import { contentHash } from "./ensure-migration.js";
import type { GitHub, RepoRef } from "./github.js";
import { ensureMigrationBranch, type BranchOutcome, type FileChange } from "./migration-branch.js";
import {
  ensureMigrationPullRequest,
  findMigrationPulls,
  type PullOutcome,
} from "./migration-pr.js";
import { escapeMarkdownInline as plain } from "../src/render/index.js";
import { ensureNotice } from "./notices.js";
import { promotionCandidates, type Skipped } from "./promotion-candidates.js";
import {
  inputsToken,
  promotionMarker,
  proposedInputs,
  renderPromotionBody,
} from "./promotion-body.js";

/** The one branch promotion pull requests come from. */
export const promotionBranch = "hybrid-pipeline/promote-programs";

/** What one promotion run did. */
export type PromotionRun =
  | { kind: "nothing-to-promote"; skipped: Skipped[] }
  | { kind: "closed-by-user"; pull: number; skipped: Skipped[] }
  | { kind: "foreign-commit"; pull: number | null; author: string }
  | { kind: "done"; branch: BranchOutcome["kind"]; pull: PullOutcome; steps: string[] };

/**
 * Brings the repository to its one promotion pull request for the program files of an artifact:
 * candidates the held-out evidence supports and that improve on the default branch, minus the
 * programs of a pull request closed without merging (until their inputs hash changes); one commit
 * on one branch by the Git Data API, one pull request found again by its hidden marker.
 */
export async function ensurePromotion(
  octokit: GitHub,
  repo: RepoRef,
  config: BotConfig,
  defaultBranch: string,
  files: Map<string, Buffer>,
): Promise<PromotionRun> {
  const { data: ref } = await octokit.rest.git.getRef({ ...repo, ref: `heads/${defaultBranch}` });
  const baseSha = ref.object.sha;
  const threshold = config.migration.performance_threshold ?? 0.1;
  const found = await promotionCandidates(octokit, repo, baseSha, files, threshold);
  if (found.candidates.length === 0) return { kind: "nothing-to-promote", skipped: found.skipped };

  const pulls = await findMigrationPulls(octokit, repo, promotionBranch, promotionMarker);
  const rejected = new Set(
    pulls
      .filter((p) => p.state === "closed" && !p.merged)
      .flatMap((p) => [...proposedInputs(p.body)]),
  );
  const candidates = found.candidates.filter((c) => !rejected.has(inputsToken(c)));
  const skipped = [
    ...found.skipped,
    ...found.candidates
      .filter((c) => rejected.has(inputsToken(c)))
      .map((c) => ({ key: c.key, reason: "rejected: its pull request was closed" })),
  ];
  const open = pulls.find((p) => p.state === "open");
  if (candidates.length === 0) return { kind: "closed-by-user", pull: pulls[0]!.number, skipped };

  const changes: FileChange[] = candidates.flatMap((c) => [
    { path: c.jsonPath, text: c.json },
    ...(c.md !== undefined ? [{ path: c.mdPath, text: c.md }] : []),
  ]);
  const hash = contentHash(changes);
  const title = `Promote optimized programs for ${candidates.length} step${candidates.length === 1 ? "" : "s"}`;
  const { data: base } = await octokit.rest.git.getCommit({ ...repo, commit_sha: baseSha });
  const branch = await ensureMigrationBranch(octokit, repo, {
    branch: promotionBranch,
    base: { sha: baseSha, treeSha: base.tree.sha },
    changes,
    hash,
    title,
  });
  if (branch.kind === "foreign") {
    const note = `Someone else (${plain(branch.author)}) pushed to \`${promotionBranch}\`, so I am leaving the branch alone. Delete the branch to let me rebuild it.`;
    if (open) await ensureNotice(octokit, repo, open.number, "foreign-commit", note);
    return { kind: "foreign-commit", pull: open?.number ?? null, author: branch.author };
  }
  const pull = await ensureMigrationPullRequest(octokit, repo, open, {
    branch: promotionBranch,
    base: defaultBranch,
    title,
    body: renderPromotionBody({ hash, candidates, branch: promotionBranch }),
    hash,
    labels: config.labels,
    marker: promotionMarker,
  });
  return { kind: "done", branch: branch.kind, pull, steps: candidates.map((c) => c.key) };
}
