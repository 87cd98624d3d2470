import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ActionDeps } from "../../src/action/action-deps.js";
import { createEngineRunner } from "../../src/action/engine-runner.js";
import { runAction } from "../../src/action/run-action.js";
import { main } from "../../src/cli/main.js";
import { noCacheService, recordingCore } from "../action/action-harness.js";

// Not token-shaped, so only the secrets handed to the run can redact it (not redact()'s patterns).
const canary = "canary4711value";
const token = "tokencanary0815";
const env = { ANTHROPIC_API_KEY: canary, GITHUB_TOKEN: token };
const pipeline = `workflow:
  name: parity
  defaults:
    continue_on_error: true
  steps:
    - name: greet
      type: claude
      prompt: "Say hello."
    - name: broken
      type: claude
      prompt:
        - type: file
          path: prompts/${canary}-${token}.md
    - name: summarize
      type: claude
      prompt:
        - type: static
          content: "Summarize: {{steps.greet.text}}"
`;

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "hp-parity-"));
  dirs.push(dir);
  await mkdir(join(dir, "pipelines"));
  await writeFile(join(dir, "pipelines/parity.yaml"), pipeline);
  return dir;
}

/** Timing is the only thing two runs may differ in: every duration, latency and timestamp set to 0. */
function withoutTiming(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTiming);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      /(_ms|_at|latency\w*)$/.test(k) && (typeof v === "number" || typeof v === "string")
        ? 0
        : withoutTiming(v),
    ]),
  );
}

async function cliReport(seed: number): Promise<string> {
  const dir = await workspace();
  const io = { cwd: dir, env, stdout: () => {}, stderr: () => {} };
  const argv = ["run", "pipelines/parity.yaml", "--provider", "sim", "--report-json", "r.json"];
  argv.push("--seed", String(seed));
  expect(await main(argv, io)).toBe(1);
  return (await readFile(join(dir, "r.json"), "utf8")).replaceAll(dir, "<workspace>");
}

async function actionReport(): Promise<string> {
  const dir = await workspace();
  const deps: ActionDeps = {
    core: recordingCore(
      { workflows: "pipelines/*.yaml", provider: "sim", cache: "false" },
      () => {},
    ),
    writeSummary: async () => {},
    writeFile: (path, text) => writeFile(path, text),
    readFile: (path) => readFile(path, "utf8"),
    env: { ...env, GITHUB_RUN_ID: "1" },
    workspace: dir,
    event: { name: "push", payload: {} },
    cacheApi: noCacheService,
    github: () => Promise.reject(new Error("no GitHub call expected on push")),
    runner: createEngineRunner(dir),
    uptimeMs: () => 0,
  };
  await runAction(deps);
  return (await readFile(join(dir, "hybrid-pipeline-report.json"), "utf8")).replaceAll(
    dir,
    "<workspace>",
  );
}

describe("the CLI and the Action", () => {
  it("write the same report JSON for the same run, load warnings included and secrets from the environment redacted", async () => {
    // The Action draws its seed from the run id; the CLI is given the same one.
    const action = await actionReport();
    const { seed, seed_source } = (
      JSON.parse(action) as Array<{ seed: number; seed_source: string }>
    )[0]!;
    expect(seed_source).toBe("run_id");
    const cli = await cliReport(seed);
    for (const secret of [canary, token]) {
      expect(cli).not.toContain(secret);
      expect(action).not.toContain(secret);
    }
    const fromCli = JSON.parse(cli) as { warnings: string[]; steps: Array<{ error: unknown }> };
    const fromAction = JSON.parse(action) as unknown[];
    expect(fromAction).toHaveLength(1);
    expect(withoutTiming(fromAction[0])).toEqual(
      withoutTiming({ ...fromCli, seed_source: "run_id" }),
    );
    expect((fromCli as unknown as { seed_source: string }).seed_source).toBe("option");
    expect(fromCli.warnings[0]).toMatch(
      /^pipelines\/parity\.yaml:8:15: warning: prompt is a plain string/,
    );
    expect(fromCli.steps.map((s) => s.error)).toEqual([
      null,
      "step 'broken': prompt file 'prompts/***-***.md' does not exist (looked at <workspace>/prompts/***-***.md; paths are relative to the working directory (--workdir))",
      null,
    ]);
  });
});
