import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, writeFile, access } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { main } from "../../src/cli/main.js";
import type { RunReport } from "../../src/report/index.js";

const projectRoot = path.resolve(import.meta.dirname, "../..");

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

/** A temp working directory holding a copy of the example, as a user's checkout would. */
async function exampleDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cli-run-"));
  await cp(path.join(projectRoot, "examples/code-review"), path.join(dir, "examples/code-review"), {
    recursive: true,
  });
  return dir;
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe("hybrid-pipeline run", () => {
  it("runs the example offline, printing progress per step on stderr, a summary on stdout, and the report", async () => {
    const dir = await exampleDir();
    const io = captureIo(dir);
    const code = await main(
      [
        "run",
        "examples/code-review/code_review.yaml",
        "--provider",
        "sim",
        "--report-json",
        "out/report.json",
      ],
      io,
    );
    expect(code).toBe(0);
    const progress = io.err().trimEnd().split("\n");
    expect(progress.map((l) => l.replace(/\d+ ms  \d+→\d+ tok  \$\d\.\d{4}$/, "N"))).toEqual([
      "✓ analyze  traditional  N",
      "✓ security  traditional  N",
      "✓ review_comment  traditional  N",
    ]);
    expect(io.out()).toContain("code_review · traditional");
    expect(io.out()).toContain("(simulated");
    expect(io.out()).toContain("report written to out/report.json");
    const report = JSON.parse(
      await readFile(path.join(dir, "out/report.json"), "utf8"),
    ) as RunReport;
    expect(report).toMatchObject({
      workflow: "code_review",
      file: "examples/code-review/code_review.yaml",
      mode: "traditional",
      provider: "sim",
      simulated: true,
      status: "success",
    });
    expect(report.steps.map((s) => [s.name, s.route, s.status])).toEqual([
      ["analyze", "traditional", "success"],
      ["security", "traditional", "success"],
      ["review_comment", "traditional", "success"],
    ]);
    expect(report.lm_calls).toEqual({ step: 3, optimize: 0, evaluate: 0, judge: 0 });
    expect(await readFile(path.join(dir, "outputs/code-review/review_comment.md"), "utf8")).toMatch(
      /^\[simulated\]/,
    );
  });

  it("resolves file parts and outputs against --workdir instead of the current directory", async () => {
    const dir = await exampleDir();
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), "cli-cwd-"));
    const io = captureIo(elsewhere);
    const code = await main(
      [
        "run",
        path.join(dir, "examples/code-review/code_review.yaml"),
        "--provider",
        "sim",
        "--workdir",
        dir,
        "--quiet",
      ],
      io,
    );
    expect(code).toBe(0);
    expect(await exists(path.join(dir, "outputs/code-review/review_comment.md"))).toBe(true);
    expect(await exists(path.join(elsewhere, "outputs"))).toBe(false);
  });

  it("prints the problems of an invalid workflow as path:line:col lines, exits 1 and writes nothing", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cli-run-"));
    await writeFile(
      path.join(dir, "bad.yaml"),
      "workflow:\n  name: bad\n  steps:\n    - name: a\n      type: claude_magic\n      prompt: []\n",
    );
    const io = captureIo(dir);
    expect(
      await main(["run", "bad.yaml", "--provider", "sim", "--report-json", "r.json"], io),
    ).toBe(1);
    expect(io.err()).toMatch(/^bad\.yaml:5:\d+: error: /m);
    expect(io.out()).toBe("");
    expect(await exists(path.join(dir, "r.json"))).toBe(false);
  });

  it("exits 1 and still writes the report when a step fails", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cli-run-"));
    await writeFile(
      path.join(dir, "wf.yaml"),
      "workflow:\n  name: w\n  steps:\n    - name: a\n      type: claude\n      prompt:\n        - type: file\n          path: missing.txt\n    - name: b\n      type: claude\n      prompt:\n        - type: static\n          content: hi\n",
    );
    const io = captureIo(dir);
    expect(await main(["run", "wf.yaml", "--provider", "sim", "--report-json", "r.json"], io)).toBe(
      1,
    );
    expect(io.err()).toContain(
      "✗ a  traditional  0 ms  0→0 tok  $0.0000  failed: step 'a': prompt file 'missing.txt' does not exist",
    );
    const report = JSON.parse(await readFile(path.join(dir, "r.json"), "utf8")) as RunReport;
    expect(report.steps.map((s) => s.status)).toEqual(["failed", "not_run"]);
    expect(report.status).toBe("failed");
  });

  it("serves a second run from the --cache-dir cache: no LM call sent, disk hits reported, the first run's latency and cost marked cached", async () => {
    const dir = await exampleDir();
    const argv = (n: number) => [
      "run",
      "examples/code-review/code_review.yaml",
      "--provider",
      "sim",
      "--cache-dir",
      ".cache",
      "--quiet",
      "--report-json",
      `r${n}.json`,
    ];
    expect(await main(argv(1), captureIo(dir))).toBe(0);
    expect(await main(argv(2), captureIo(dir))).toBe(0);
    const [first, second] = await Promise.all(
      [1, 2].map(
        async (n) => JSON.parse(await readFile(path.join(dir, `r${n}.json`), "utf8")) as RunReport,
      ),
    );
    expect(first!.lm_calls.step).toBe(3);
    expect(first!.cache.misses).toBe(3);
    expect(second!.lm_calls.step).toBe(0);
    expect(second!.cache.hits).toEqual({ memory: 0, disk: 3, distributed: 0 });
    expect(second!.budget.spent_usd).toBe(0);
    expect(second!.steps.map((s) => s.metrics)).toEqual(
      first!.steps.map((s) => ({ ...s.metrics, cached: true })),
    );
    expect(
      first!.steps.every((s) => s.metrics.cached === undefined && s.metrics.cost_usd! > 0),
    ).toBe(true);
    expect(second!.steps.map((s) => s.output_preview)).toEqual(
      first!.steps.map((s) => s.output_preview),
    );
  });

  it.each([
    [["run"], "give exactly one pipeline FILE"],
    [
      ["run", "x.yaml", "--mode", "fast"],
      "--mode must be one of traditional, dspy_optimized, hybrid, evaluation, not 'fast'",
    ],
    [
      ["run", "x.yaml", "--provider", "claude"],
      "--provider must be one of auto, anthropic, gemini, openai, sim, replay, not 'claude'",
    ],
    [["run", "x.yaml", "--concurrency", "0"], "--concurrency must be a positive integer, not '0'"],
    [["run", "x.yaml", "--input", "novalue"], "--input must be KEY=VALUE, not 'novalue'"],
  ])("exits 2 on usage error %j", async (argv, message) => {
    const io = captureIo(projectRoot);
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toContain(`hybrid-pipeline run: ${message}`);
  });

  it("prints its usage with --help", async () => {
    const io = captureIo(projectRoot);
    expect(await main(["run", "--help"], io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: hybrid-pipeline run FILE \[options\]/);
  });

  it("runs through bin/hybrid-pipeline.js as a user would", async () => {
    const dir = await exampleDir();
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        path.join(projectRoot, "bin/hybrid-pipeline.js"),
        "run",
        "examples/code-review/code_review.yaml",
        "--provider",
        "sim",
        "--quiet",
      ],
      { cwd: dir, env: { PATH: process.env.PATH ?? "" } },
    );
    expect(stderr).toBe("");
    expect(stdout).toContain("code_review · traditional");
    expect(stdout).toContain("(simulated");
  });
});
