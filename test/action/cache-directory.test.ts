import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actionsCacheApi } from "../../src/action/actions-cache-api.js";
import {
  cacheKeys,
  restoreCacheDirectory,
  saveCacheDirectory,
  type CacheKeyParts,
} from "../../src/action/cache-directory.js";
import { startFakeCacheService, type FakeCacheService } from "../support/fake-cache-service.js";

let service: FakeCacheService;
let workspace: string;
const saved = { ...process.env };
const cwd = process.cwd();

beforeEach(async () => {
  service = await startFakeCacheService();
  workspace = await mkdtemp(join(tmpdir(), "hp-cache-"));
  await mkdir(join(workspace, "tmp"));
  Object.assign(process.env, service.env(), {
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: join(workspace, "tmp"),
    GITHUB_SERVER_URL: "https://github.com",
  });
  // The runner starts the Action in the workspace; @actions/cache resolves relative paths against the cwd.
  process.chdir(workspace);
});

afterEach(async () => {
  process.env = { ...saved };
  process.chdir(cwd);
  await service.close();
  await rm(workspace, { recursive: true, force: true });
});

const dir = () => ({
  path: ".hybrid-pipeline/cache",
  absolute: join(workspace, ".hybrid-pipeline/cache"),
});
const parts = (run: string): CacheKeyParts => ({
  prefix: "hp",
  os: "Linux",
  inputsHash: "ab".repeat(32),
  run,
});

describe("cache directory", () => {
  it("keys every run uniquely and restores by prefix", () => {
    expect(cacheKeys(parts("7-1"))).toEqual({
      key: "hp-Linux-abababababababab-7-1",
      restoreKeys: ["hp-Linux-abababababababab-", "hp-Linux-"],
    });
  });

  it("saves a changed directory under the run's key, then restores the newest earlier entry and does not save it again", async () => {
    const api = actionsCacheApi();
    const first = await restoreCacheDirectory(api, dir(), parts("1-1"), process.env);
    expect(first.kind).toBe("miss");
    await mkdir(dir().absolute, { recursive: true });
    await writeFile(join(dir().absolute, "entry.json"), '{"compiled":true}');
    expect(await saveCacheDirectory(api, dir(), first, process.env)).toEqual({
      kind: "saved",
      key: "hp-Linux-abababababababab-1-1",
    });
    await rm(dir().absolute, { recursive: true });

    const second = await restoreCacheDirectory(api, dir(), parts("2-1"), process.env);
    expect(second).toMatchObject({
      kind: "restored",
      key: "hp-Linux-abababababababab-2-1",
      matchedKey: "hp-Linux-abababababababab-1-1",
    });
    expect(await readFile(join(dir().absolute, "entry.json"), "utf8")).toBe('{"compiled":true}');
    expect(await saveCacheDirectory(api, dir(), second, process.env)).toEqual({
      kind: "unchanged",
    });
    expect(service.requests).toEqual([
      "GetCacheEntryDownloadURL",
      "CreateCacheEntry",
      "PUT /blob/" + service.requests[2]!.split("/blob/")[1],
      "FinalizeCacheEntryUpload",
      "GetCacheEntryDownloadURL",
      "GET /blob/" + service.requests[5]!.split("/blob/")[1],
    ]);
    expect(service.entries().map((e) => e.key)).toEqual(["hp-Linux-abababababababab-1-1"]);
    expect(service.unexpected).toEqual([]);
  });

  it("is refused a second save of the same key, as GitHub refuses it", async () => {
    const api = actionsCacheApi();
    await mkdir(dir().absolute, { recursive: true });
    await writeFile(join(dir().absolute, "a"), "1");
    expect(await api.save([dir().path], "hp-same")).toEqual({ kind: "saved" });
    const again = await api.save([dir().path], "hp-same");
    expect(again.kind).toBe("failed");
    expect(again.kind === "failed" && again.reason).toMatch(
      /Unable to reserve cache with key hp-same/,
    );
    expect(service.entries()).toHaveLength(1);
  });

  it("skips the save with a note when ACTIONS_CACHE_MODE is read", async () => {
    const api = actionsCacheApi();
    const env = { ...process.env, ACTIONS_CACHE_MODE: "read" };
    const restored = await restoreCacheDirectory(api, dir(), parts("3-1"), env);
    await mkdir(dir().absolute, { recursive: true });
    await writeFile(join(dir().absolute, "a"), "1");
    expect(await saveCacheDirectory(api, dir(), restored, env)).toEqual({
      kind: "skipped",
      reason: "ACTIONS_CACHE_MODE is 'read' (read-only in low-trust events): not saving",
    });
    expect(service.requests).toEqual(["GetCacheEntryDownloadURL"]);
  });

  it("reports the tier unavailable when the service is missing", async () => {
    delete process.env.ACTIONS_RESULTS_URL;
    const restored = await restoreCacheDirectory(
      actionsCacheApi(),
      dir(),
      parts("4-1"),
      process.env,
    );
    expect(restored).toEqual({
      kind: "unavailable",
      key: "hp-Linux-abababababababab-4-1",
      reason: "the GitHub cache service is not available to this job",
    });
  });

  // Legacy v1 protocol: a 500 is not retried there; v2's Twirp client retries 5 times over ~30 s, too slow for a unit test.
  it("makes the tier unavailable, and skips the save, when the service answers 500", async () => {
    delete process.env.ACTIONS_CACHE_SERVICE_V2;
    service.failing = true;
    const api = actionsCacheApi();
    const restored = await restoreCacheDirectory(api, dir(), parts("5-1"), process.env);
    expect(restored.kind).toBe("unavailable");
    expect(restored.kind === "unavailable" && restored.reason).toMatch(
      /^cache restore failed: Failed to restore: getCacheEntry failed: Cache service responded with 500/,
    );
    await mkdir(dir().absolute, { recursive: true });
    await writeFile(join(dir().absolute, "a"), "1");
    expect((await saveCacheDirectory(api, dir(), restored, process.env)).kind).toBe("skipped");
    expect(service.requests).toEqual(["GET /_apis/artifactcache/cache"]);
  }, 20_000);
});
