import { execFile } from "node:child_process";
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { main } from "../../src/cli/main.js";
import type { RunReport } from "../../src/report/index.js";

const git = promisify(execFile);
const projectRoot = path.resolve(import.meta.dirname, "../..");
const workflowFile = "examples/code-review/classify_findings.yaml";
const programDir = ".hybrid-pipeline/programs/classify_findings";

function captureIo(cwd: string): CliIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    cwd,
    env: {},
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    out: () => out,
    err: () => err,
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "lockfile-"));
  await cp(path.join(projectRoot, "examples/code-review"), path.join(dir, "examples/code-review"), {
    recursive: true,
  });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function commitAll(message: string): Promise<void> {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "t",
    GIT_AUTHOR_EMAIL: "t@example.com",
    GIT_COMMITTER_NAME: "t",
    GIT_COMMITTER_EMAIL: "t@example.com",
  };
  await git("git", ["add", "-A"], { cwd: dir, env });
  await git("git", ["commit", "-q", "-m", message], { cwd: dir, env });
}

/** A run in dspy_optimized mode with a cache directory nobody has written to. */
async function runWithEmptyCache(cacheDir: string): Promise<{ code: number; report: RunReport }> {
  const io = captureIo(dir);
  const code = await main(
    [
      "run",
      workflowFile,
      "--provider",
      "sim",
      "--mode",
      "dspy_optimized",
      "--cache-dir",
      cacheDir,
      "--report-json",
      `${cacheDir}-report.json`,
      "--quiet",
    ],
    io,
  );
  const report = JSON.parse(
    await readFile(path.join(dir, `${cacheDir}-report.json`), "utf8"),
  ) as RunReport;
  return { code, report };
}

describe("the prompt lockfile (.hybrid-pipeline/programs)", () => {
  it("runs a committed program with 0 optimizer calls on an empty cache, then reports it stale when the training data changes", async () => {
    const optimize = captureIo(dir);
    expect(
      await main(
        ["optimize", workflowFile, "--provider", "sim", "--write", "--no-cache"],
        optimize,
      ),
    ).toBe(0);
    expect(optimize.out()).toContain(
      `  wrote ${programDir}/classify_finding.json, ${programDir}/classify_finding.prompt.md`,
    );
    await git("git", ["init", "-q"], { cwd: dir });
    await commitAll("programs reviewed");
    // Compiling the same inputs again writes the same bytes: nothing to review.
    expect(
      await main(
        ["optimize", workflowFile, "--provider", "sim", "--write", "--no-cache"],
        captureIo(dir),
      ),
    ).toBe(0);
    expect((await git("git", ["status", "--porcelain"], { cwd: dir })).stdout).toBe("");
    const { stdout: tracked } = await git("git", ["ls-files", ".hybrid-pipeline"], { cwd: dir });
    expect(tracked.trim().split("\n")).toEqual([
      `${programDir}/classify_finding.json`,
      `${programDir}/classify_finding.prompt.md`,
    ]);

    const fresh = await runWithEmptyCache("cache-a");
    expect(fresh.code).toBe(0);
    expect(fresh.report.lm_calls.optimize).toBe(0);
    const step = fresh.report.steps[0]!;
    expect(step.route).toBe("optimized");
    expect(step.program).toEqual({
      source: "committed",
      stale: false,
      path: `${programDir}/classify_finding.json`,
      compiled_for: "claude-haiku-4-5",
    });
    expect(step.decision.reason).toContain(`committed program ${programDir}/classify_finding.json`);

    // The model is not part of the hash: another model runs the same program and says so.
    const yaml = path.join(dir, workflowFile);
    const original = await readFile(yaml, "utf8");
    await writeFile(yaml, original.replace("model: haiku", "model: sonnet"));
    const otherModel = await runWithEmptyCache("cache-m");
    expect(otherModel.report.lm_calls.optimize).toBe(0);
    expect(otherModel.report.steps[0]!.program).toMatchObject({
      source: "committed",
      stale: false,
      compiled_for: "claude-haiku-4-5",
      run_with: "claude-sonnet-4-6",
    });
    expect(otherModel.report.steps[0]!.decision.reason).toContain(
      "compiled for claude-haiku-4-5, run with claude-sonnet-4-6",
    );
    await writeFile(yaml, original);

    await appendFile(
      path.join(dir, "examples/code-review/training_data/classify_finding.jsonl"),
      '{"input": "Unbounded cache growth slows every request after a day of uptime.", "output": "performance"}\n',
    );
    const stale = await runWithEmptyCache("cache-b");
    expect(stale.code).toBe(0);
    expect(stale.report.lm_calls.optimize).toBe(0);
    expect(stale.report.steps[0]!.program).toMatchObject({
      source: "committed",
      stale: true,
      changed: ["training_data"],
    });
    expect(stale.report.warnings).toContainEqual(
      expect.stringContaining(
        `step 'classify_finding': the committed program ${programDir}/classify_finding.json is stale (training data changed since it was compiled); using it anyway (hybrid_config.stale_program: use)`,
      ),
    );

    const validate = captureIo(dir);
    expect(await main(["validate", workflowFile], validate)).toBe(0);
    expect(validate.out()).toContain(
      `${workflowFile}:15:7: warning: step 'classify_finding': the committed program ${programDir}/classify_finding.json is stale (training data changed since it was compiled)`,
    );
    const strict = captureIo(dir);
    expect(await main(["validate", "--strict", workflowFile], strict)).toBe(1);
    expect(strict.out()).toContain(`${workflowFile}:15:7: error: step 'classify_finding'`);
  });

  it("recompiles or falls back on a stale program as hybrid_config.stale_program says", async () => {
    const optimize = captureIo(dir);
    expect(
      await main(
        ["optimize", workflowFile, "--provider", "sim", "--write", "--no-cache"],
        optimize,
      ),
    ).toBe(0);
    await appendFile(
      path.join(dir, "examples/code-review/training_data/classify_finding.jsonl"),
      '{"input": "Unbounded cache growth slows every request after a day of uptime.", "output": "performance"}\n',
    );
    const yaml = path.join(dir, workflowFile);
    const original = await readFile(yaml, "utf8");

    await writeFile(yaml, original.replace("    mode: evaluation", "    stale_program: recompile"));
    const recompiled = await runWithEmptyCache("cache-r");
    expect(recompiled.report.lm_calls.optimize).toBeGreaterThan(0);
    expect(recompiled.report.steps[0]!.program).toEqual({
      source: "compiled",
      stale: false,
      compiled_for: "claude-haiku-4-5",
    });
    expect(recompiled.report.steps[0]!.decision.reason).toContain(
      `the committed program ${programDir}/classify_finding.json is stale (training data changed since it was compiled); recompiled`,
    );

    await writeFile(yaml, original.replace("    mode: evaluation", "    stale_program: fallback"));
    const fellBack = await runWithEmptyCache("cache-f");
    expect(fellBack.report.lm_calls.optimize).toBe(0);
    const step = fellBack.report.steps[0]!;
    expect([step.route, step.status]).toEqual(["traditional", "fallback"]);
    expect(step.fallback).toEqual({
      reason: "dspy_unavailable",
      detail: `the committed program ${programDir}/classify_finding.json is stale (training data changed since it was compiled) and hybrid_config.stale_program is fallback`,
    });
    expect(step.program).toMatchObject({ source: "committed", stale: true });
  });
});
