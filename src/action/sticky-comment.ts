/** The slice of Octokit's REST API the sticky comment (and the report-only check of its pull request) needs (`@actions/github`'s `getOctokit` fits). */
export interface CommentsApi {
  paginate: {
    iterator<T>(
      route: (params: {
        owner: string;
        repo: string;
        issue_number: number;
        per_page: number;
      }) => Promise<{ data: T[] }>,
      params: { owner: string; repo: string; issue_number: number; per_page: number },
    ): AsyncIterable<{ data: T[] }>;
  };
  rest: {
    issues: {
      listComments(params: {
        owner: string;
        repo: string;
        issue_number: number;
        per_page: number;
      }): Promise<{ data: ListedComment[] }>;
      createComment(params: {
        owner: string;
        repo: string;
        issue_number: number;
        body: string;
      }): Promise<{ data: { id: number; html_url: string } }>;
      updateComment(params: {
        owner: string;
        repo: string;
        comment_id: number;
        body: string;
      }): Promise<{ data: { id: number; html_url: string } }>;
    };
    pulls: {
      get(params: {
        owner: string;
        repo: string;
        pull_number: number;
      }): Promise<{ data: { head: { sha: string }; base: { ref: string } } }>;
    };
  };
}

export interface ListedComment {
  id: number;
  body?: string | null;
  html_url: string;
}

export interface StickyCommentTarget {
  owner: string;
  repo: string;
  issue_number: number;
  /** Hidden HTML comment that identifies our comment, e.g. `<!-- hybrid-pipeline:report -->`. */
  marker: string;
  /** Full body; must contain `marker` so the next run finds it. */
  body: string;
}

export type StickyCommentOutcome =
  | { kind: "created"; id: number; url: string }
  | { kind: "updated"; id: number; url: string }
  | { kind: "unchanged"; id: number; url: string }
  /** The token may not write (fork pull requests get a read-only GITHUB_TOKEN). */
  | { kind: "forbidden"; message: string };

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * Creates the pull request's comment, or edits the one carrying `marker` (found by paging through every
 * comment, oldest first), so re-runs never stack comments. A 403 becomes `{ kind: "forbidden" }`;
 * other failures throw.
 */
export async function ensureStickyComment(
  octokit: CommentsApi,
  target: StickyCommentTarget,
): Promise<StickyCommentOutcome> {
  const { owner, repo, issue_number, marker, body } = target;
  if (!body.includes(marker))
    throw new TypeError("ensureStickyComment: the body must contain the marker");
  try {
    const params = { owner, repo, issue_number, per_page: 100 };
    let found: ListedComment | undefined;
    for await (const page of octokit.paginate.iterator<ListedComment>(
      octokit.rest.issues.listComments,
      params,
    )) {
      found = page.data.find((c) => typeof c.body === "string" && c.body.includes(marker));
      if (found) break;
    }
    if (found?.body === body) return { kind: "unchanged", id: found.id, url: found.html_url };
    if (found) {
      const { data } = await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: found.id,
        body,
      });
      return { kind: "updated", id: data.id, url: data.html_url };
    }
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number, body });
    return { kind: "created", id: data.id, url: data.html_url };
  } catch (error) {
    if (statusOf(error) === 403) {
      const message = (error as { message?: unknown }).message;
      return {
        kind: "forbidden",
        message: typeof message === "string" ? message : "403 Forbidden",
      };
    }
    throw error;
  }
}
