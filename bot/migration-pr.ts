import { hasStatus, type GitHub, type RepoRef } from "./github.js";
import { hashOfPrBody, isMigrationPrBody } from "./pr-body.js";

/** How the bot recognises one kind of its pull requests (migration, promotion) by the body's hidden marker. */
export interface PrMarker {
  is(body: string | null | undefined): boolean;
  hash(body: string | null | undefined): string | undefined;
}

/** The migration pull request's marker. */
export const migrationMarker: PrMarker = { is: isMigrationPrBody, hash: hashOfPrBody };

/** One of the bot's migration pull requests. */
export interface MigrationPull {
  number: number;
  state: "open" | "closed";
  merged: boolean;
  hash: string | undefined;
  labels: string[];
  /** The body as GitHub holds it (for facts a kind of pull request keeps in its marker). */
  body: string;
}

/** What `ensureMigrationPullRequest` did. */
export type PullOutcome = { kind: "created" | "updated" | "unchanged"; number: number };

export interface PullRequest {
  branch: string;
  base: string;
  title: string;
  body: string;
  hash: string;
  labels: string[];
  /** @default migrationMarker */
  marker?: PrMarker;
}

/**
 * The bot's pull requests for `branch`, newest first: found by head branch and the hidden
 * marker in the body (a pull request someone else opened from that branch is not ours).
 */
export async function findMigrationPulls(
  octokit: GitHub,
  repo: RepoRef,
  branch: string,
  marker: PrMarker = migrationMarker,
): Promise<MigrationPull[]> {
  const pulls = await octokit.paginate(octokit.rest.pulls.list, {
    ...repo,
    state: "all",
    head: `${repo.owner}:${branch}`,
    per_page: 100,
  });
  return pulls
    .filter((p) => marker.is(p.body))
    .map((p) => ({
      number: p.number,
      state: p.state === "open" ? ("open" as const) : ("closed" as const),
      merged: p.merged_at !== null,
      hash: marker.hash(p.body),
      labels: p.labels.map((l) => l.name),
      body: p.body ?? "",
    }))
    .sort((a, b) => b.number - a.number);
}

/** Creates each label that does not exist yet (422 already_exists from a concurrent create is fine). */
export async function ensureLabels(
  octokit: GitHub,
  repo: RepoRef,
  labels: string[],
): Promise<void> {
  for (const name of labels) {
    try {
      await octokit.rest.issues.getLabel({ ...repo, name });
    } catch (error) {
      if (!hasStatus(error, 404)) throw error;
      try {
        await octokit.rest.issues.createLabel({
          ...repo,
          name,
          color: "5319e7",
          description: "Opened by the hybrid-pipeline app",
        });
      } catch (createError) {
        if (!hasStatus(createError, 422)) throw createError;
      }
    }
  }
}

async function ensurePullLabels(
  octokit: GitHub,
  repo: RepoRef,
  number: number,
  wanted: string[],
  present: string[],
): Promise<void> {
  const missing = wanted.filter((l) => !present.some((p) => p.toLowerCase() === l.toLowerCase()));
  if (missing.length === 0) return;
  await ensureLabels(octokit, repo, missing);
  await octokit.rest.issues.addLabels({ ...repo, issue_number: number, labels: missing });
}

/**
 * Exactly one open migration pull request: the open one is edited only when its content hash
 * differs; otherwise one is created (a 422 "A pull request already exists" from a racing
 * worker is resolved by finding that pull request again).
 */
export async function ensureMigrationPullRequest(
  octokit: GitHub,
  repo: RepoRef,
  open: MigrationPull | undefined,
  request: PullRequest,
): Promise<PullOutcome> {
  if (open) {
    await ensurePullLabels(octokit, repo, open.number, request.labels, open.labels);
    if (open.hash === request.hash) return { kind: "unchanged", number: open.number };
    await octokit.rest.pulls.update({
      ...repo,
      pull_number: open.number,
      title: request.title,
      body: request.body,
    });
    return { kind: "updated", number: open.number };
  }
  try {
    const { data } = await octokit.rest.pulls.create({
      ...repo,
      head: request.branch,
      base: request.base,
      title: request.title,
      body: request.body,
      maintainer_can_modify: true,
    });
    await ensurePullLabels(octokit, repo, data.number, request.labels, []);
    return { kind: "created", number: data.number };
  } catch (error) {
    if (!hasStatus(error, 422)) throw error;
    const raced = (await findMigrationPulls(octokit, repo, request.branch, request.marker)).find(
      (p) => p.state === "open",
    );
    if (!raced) throw error;
    return ensureMigrationPullRequest(octokit, repo, raced, request);
  }
}
