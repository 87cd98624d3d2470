import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionDeps } from "../../src/action/action-deps.js";
import { applyBaseline, BASELINE_DIR } from "../../src/action/baseline.js";
import type { CacheApi } from "../../src/action/cache-directory.js";
import { parseInputs, type ActionInputs } from "../../src/action/inputs.js";
import { report } from "../support/report-fixtures.js";
import { noCacheService, recordingCore } from "./action-harness.js";

let workspace: string;
let log: string[];

function inputsOf(values: Record<string, string> = {}): ActionInputs {
  const all: Record<string, string> = { workflows: "pipelines/*.yaml", ...values };
  const parsed = parseInputs((name) => all[name] ?? "");
  if (parsed.kind !== "ok") throw new Error(parsed.problems.join("\n"));
  return parsed.inputs;
}

function deps(
  event: ActionDeps["event"],
  env: NodeJS.ProcessEnv,
  cacheApi: CacheApi = noCacheService,
): ActionDeps {
  return {
    core: recordingCore({}, (line) => void log.push(line)),
    writeSummary: () => Promise.resolve(),
    writeFile: async (path, text) => {
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(path, text);
    },
    readFile: (path) => readFile(path, "utf8"),
    env,
    workspace,
    event,
    cacheApi,
    github: () => Promise.reject(new Error("no GitHub call expected")),
    runner: { load: () => Promise.reject(new Error("no pipeline expected")) },
    uptimeMs: () => 0,
  };
}

/** A cache service that holds one entry whose directory is written by `restore`; records every call. */
function oneEntry(key: string, text: string, calls: string[]): CacheApi {
  return {
    isAvailable: () => Promise.resolve(true),
    restore: async (paths, primary, restoreKeys) => {
      calls.push(`restore ${paths.join(",")} ${primary} ${restoreKeys.join(",")}`);
      if (!key.startsWith(primary)) return { kind: "miss" };
      await mkdir(join(workspace, BASELINE_DIR), { recursive: true });
      await writeFile(join(workspace, BASELINE_DIR, "reports.json"), text);
      return { kind: "hit", matchedKey: key };
    },
    save: (paths, saved) => {
      calls.push(`save ${paths.join(",")} ${saved}`);
      return Promise.resolve({ kind: "saved" });
    },
  };
}

const pullRequest = { name: "pull_request", payload: { pull_request: { base: { ref: "main" } } } };
const push = { name: "push", payload: { repository: { default_branch: "main" } } };
const pushEnv = { GITHUB_REF: "refs/heads/main", GITHUB_SHA: "f".repeat(40) };

beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), "hp-baseline-"));
  log = [];
});
afterEach(() => rm(workspace, { recursive: true, force: true }));

describe("applyBaseline", () => {
  it("degrades to a note without the cache service, on a pull request, and calls nothing", async () => {
    const [out] = await applyBaseline(deps(pullRequest, {}), inputsOf(), [report()], []);
    expect(out!.baseline).toEqual({
      branch: "main",
      sha: null,
      schema_version: null,
      provider: null,
      note: "no baseline: the GitHub cache service is not available to this job, so there is nothing saved from main to compare with.",
    });
  });

  it("saves a push's reports redacted, under <prefix>-baseline-<branch>-<sha>", async () => {
    const calls: string[] = [];
    const secret = "sk-ant-" + "x".repeat(30);
    const reports = [report({ warnings: [`key ${secret}`] })];
    const out = await applyBaseline(
      deps(push, pushEnv, oneEntry("", "", calls)),
      inputsOf({ "cache-key-prefix": "hp" }),
      reports,
      [secret],
    );
    expect(out).toBe(reports);
    expect(calls).toEqual([`save ${BASELINE_DIR} hp-baseline-main-${"f".repeat(40)}`]);
    const saved = await readFile(join(workspace, BASELINE_DIR, "reports.json"), "utf8");
    expect(saved).not.toContain(secret);
    expect(JSON.parse(saved)).toHaveLength(1);
  });

  it("saves nothing from a shard, from a read-only cache, or from another branch", async () => {
    const calls: string[] = [];
    const api = oneEntry("", "", calls);
    await applyBaseline(deps(push, pushEnv, api), inputsOf({ shard: "1/2" }), [report()], []);
    await applyBaseline(
      deps(push, { ...pushEnv, ACTIONS_CACHE_MODE: "read" }, api),
      inputsOf(),
      [report()],
      [],
    );
    await applyBaseline(
      deps(push, { ...pushEnv, GITHUB_REF: "refs/heads/topic" }, api),
      inputsOf(),
      [report()],
      [],
    );
    expect(calls).toEqual([]);
    expect(log).toEqual([
      "info baseline not saved: a shard saves no baseline (the job that merges the shards' reports does)",
      "info baseline not saved: ACTIONS_CACHE_MODE does not allow writes",
    ]);
  });

  it("restores the newest baseline by the base branch's prefix and names one it cannot read", async () => {
    const calls: string[] = [];
    const key = `hybrid-pipeline-baseline-main-${"e".repeat(40)}`;
    const [out] = await applyBaseline(
      deps(pullRequest, {}, oneEntry(key, "{not json", calls)),
      inputsOf(),
      [report()],
      [],
    );
    expect(calls).toEqual([
      `restore ${BASELINE_DIR} hybrid-pipeline-baseline-main- hybrid-pipeline-baseline-main-`,
    ]);
    expect(out!.baseline!.note).toMatch(
      new RegExp(`^the baseline ${key} could not be read \\(.*JSON`),
    );
  });

  it("uses GITHUB_BASE_REF when the event has no pull_request, and says there is no baseline yet", async () => {
    const calls: string[] = [];
    const [out] = await applyBaseline(
      deps(
        { name: "pull_request", payload: {} },
        { GITHUB_BASE_REF: "develop" },
        oneEntry("x", "", calls),
      ),
      inputsOf(),
      [report()],
      [],
    );
    expect(out!.baseline!.note).toBe(
      "No baseline for develop yet: the first run of this workflow on develop (push) saves one.",
    );
  });

  it("compares in a workflow_run comment job: the run's pull request's base, else the API's for a fork's", async () => {
    const calls: string[] = [];
    const sameRepo = {
      name: "workflow_run",
      payload: { workflow_run: { pull_requests: [{ number: 3, base: { ref: "release" } }] } },
    };
    const [fromPayload] = await applyBaseline(
      deps(sameRepo, {}, oneEntry("x", "", calls)),
      inputsOf({ report: "reports/*.json" }),
      [report()],
      [],
    );
    expect(fromPayload!.baseline!.branch).toBe("release");

    const fork = { name: "workflow_run", payload: { workflow_run: { pull_requests: [] } } };
    const asked: unknown[] = [];
    const withApi = {
      ...deps(fork, { GITHUB_REPOSITORY: "octo/app" }, oneEntry("x", "", calls)),
      github: () =>
        Promise.resolve({
          rest: {
            pulls: {
              get: (params: unknown) => {
                asked.push(params);
                return Promise.resolve({ data: { base: { ref: "main" } } });
              },
            },
          },
        } as never),
    };
    const [fromApi] = await applyBaseline(
      withApi,
      inputsOf({ report: "reports/*.json", "pull-request": "42" }),
      [report()],
      [],
    );
    expect(asked).toEqual([{ owner: "octo", repo: "app", pull_number: 42 }]);
    expect(fromApi!.baseline!.branch).toBe("main");
    expect(calls.at(-1)).toBe(
      `restore ${BASELINE_DIR} hybrid-pipeline-baseline-main- hybrid-pipeline-baseline-main-`,
    );
  });
});
