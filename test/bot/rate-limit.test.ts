import { afterEach, describe, expect, it } from "vitest";
import { corpusFile, startHarness, type Harness } from "./harness.js";

let harness: Harness;
afterEach(async () => {
  await harness?.close();
  // Every request the bot made is one the stand-in knows (no silent 404s).
  expect(harness?.github.unexpected).toEqual([]);
});

// The throttling plugin waits `retry-after` × retryAfterBaseValue ms: 1 ms per "second" here.
// Its write (1 s) and notification (3 s) spacing is what production keeps; here the groups pass
// jobs straight through so the test measures the retry path, not the spacing.
const immediate = {
  key: () => ({ schedule: (_options: unknown, job: () => Promise<unknown>) => job() }),
};
const throttle = {
  enabled: true,
  retryAfterBaseValue: 1,
  write: immediate,
  notifications: immediate,
};

describe("bot: GitHub's secondary rate limit", () => {
  it("waits for retry-after and retries, ending with the one pull request", async () => {
    harness = await startHarness(
      { "live.yaml": corpusFile("examples/claude_live_test.yaml") },
      { throttle },
    );
    harness.github.failNext({
      method: "POST",
      path: /\/pulls$/,
      reply: "secondary-rate-limit",
      retryAfter: 2,
      times: 2,
    });
    await harness.install();
    expect(harness.repo.pulls().map((p) => p.state)).toEqual(["open"]);
    const pullPosts = harness.github.requests.filter(
      (r) => r.method === "POST" && r.path.endsWith("/pulls"),
    );
    expect(pullPosts.map((r) => r.status)).toEqual([403, 403, 201]);
  });

  it("gives up after a bounded number of retries and fails the delivery instead of dropping it", async () => {
    harness = await startHarness(
      { "live.yaml": corpusFile("examples/claude_live_test.yaml") },
      { throttle },
    );
    harness.github.failNext({
      method: "POST",
      path: /\/git\/trees$/,
      reply: "too-many-requests",
      retryAfter: 1,
      times: 10,
    });
    await expect(harness.install()).rejects.toThrow(/secondary rate limit/);
    const treePosts = harness.github.requests.filter(
      (r) => r.method === "POST" && r.path.endsWith("/git/trees"),
    );
    expect(treePosts.map((r) => r.status)).toEqual([429, 429, 429, 429]);
    expect(harness.repo.pulls()).toEqual([]);
  });
});
