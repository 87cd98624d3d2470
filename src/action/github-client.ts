import type { CommentsApi } from "./sticky-comment.js";

type Warn = (message: string) => void;

/**
 * Octokit for the job token (`getOctokit` reads `GITHUB_API_URL`, so GHES works) with retry and throttling:
 * rate limits, primary and secondary (403/429 with `retry-after`), are waited out twice at most, then surface.
 * https://github.com/octokit/plugin-throttling.js#usage
 */
export async function createGithubClient(
  token: string,
  warn: Warn,
  baseUrl?: string,
): Promise<CommentsApi> {
  // Loaded on first use, after the pipelines ran, to keep them off the start-up path.
  const [{ getOctokit }, { retry }, { throttling }] = await Promise.all([
    import("@actions/github"),
    import("@octokit/plugin-retry"),
    import("@octokit/plugin-throttling"),
  ]);
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      options: { method: string; url: string },
      _octokit: unknown,
      retryCount: number,
    ): boolean => {
      warn(`GitHub ${kind} on ${options.method} ${options.url}: retrying in ${retryAfter} s`);
      return retryCount < 2;
    };
  const octokit = getOctokit(
    token,
    {
      ...(baseUrl ? { baseUrl } : {}),
      throttle: {
        onRateLimit: onLimit("rate limit"),
        onSecondaryRateLimit: onLimit("secondary rate limit"),
      },
    },
    retry,
    throttling,
  );
  return octokit as unknown as CommentsApi;
}
