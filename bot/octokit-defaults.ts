import { ProbotOctokit } from "probot";

/** How many times a request hit by a rate limit is retried before the error surfaces. */
export const maxRateLimitRetries = 3;

type ThrottleOptions = NonNullable<
  NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>["throttle"]
>;

/**
 * Throttle handlers that honour `retry-after` (the plugin waits that long) and give up after
 * `maxRetries`, instead of Probot's default of retrying forever.
 * https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#handle-rate-limit-errors-appropriately
 */
export function boundedThrottle(
  maxRetries = maxRateLimitRetries,
): Pick<ThrottleOptions, "onRateLimit" | "onSecondaryRateLimit"> {
  return {
    onSecondaryRateLimit: (retryAfter, options, octokit, retryCount) => {
      octokit.log.warn(
        `secondary rate limit on ${options.method} ${options.url}: retry ${retryCount + 1} of ${maxRetries} in ${retryAfter} s`,
      );
      return retryCount < maxRetries;
    },
    onRateLimit: (retryAfter, options, octokit, retryCount) => {
      octokit.log.warn(
        `rate limit on ${options.method} ${options.url}: retry ${retryCount + 1} of ${maxRetries} in ${retryAfter} s`,
      );
      return retryCount < maxRetries;
    },
  };
}

/** Probot's Octokit with bounded rate-limit retries (writes stay serialised by the throttling plugin). */
export const BotOctokit = ProbotOctokit.defaults(
  (options: ConstructorParameters<typeof ProbotOctokit>[0] = {}) => ({
    ...options,
    throttle: { ...options.throttle, ...boundedThrottle() },
  }),
);
