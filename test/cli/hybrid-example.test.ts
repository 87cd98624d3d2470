import { cp, mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { main } from "../../src/cli/main.js";
import type { RunReport } from "../../src/report/index.js";

const projectRoot = path.resolve(import.meta.dirname, "../..");
const exampleFile = "examples/hybrid-code-analyzer/hybrid_code_analyzer.yaml";
const steps = [
  "analyze_structure",
  "detect_license",
  "generate_docs",
  "review_risks",
  "write_report",
];
/**
 * Labelled examples per step: all fewer than 20 would go to a test split, so each step with at least
 * `min_labelled_examples` (10) is cross-fitted; review_risks is below that floor (needs_more_data).
 */
const labelled: Record<string, number> = {
  analyze_structure: 40,
  detect_license: 18,
  generate_docs: 22,
  review_risks: 8,
};

/** What a user sees of one step: route, status, fallback reason and the rule in the decision's reason. */
type Expected = [
  name: string,
  route: string,
  status: string,
  fallback: string | null,
  rule: string | RegExp,
];

const pinned: Expected = [
  "write_report",
  "traditional",
  "success",
  null,
  "step sets execution_mode: traditional",
];

function captureIo(cwd: string): CliIo & { out: () => string } {
  let out = "";
  return { cwd, env: {}, stdout: (t) => void (out += t), stderr: () => {}, out: () => out };
}

/** A temp working directory holding a copy of the example, as a user's checkout would. */
async function exampleDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cli-hybrid-"));
  await cp(
    path.join(projectRoot, "examples/hybrid-code-analyzer"),
    path.join(dir, "examples/hybrid-code-analyzer"),
    { recursive: true },
  );
  return dir;
}

async function runExample(
  dir: string,
  mode: string | undefined,
): Promise<{ code: number; stdout: string; report: RunReport }> {
  const io = captureIo(dir);
  const reportFile = `report-${mode ?? "file"}.json`;
  const code = await main(
    [
      "run",
      exampleFile,
      "--provider",
      "sim",
      ...(mode ? ["--mode", mode] : []),
      // A fixed seed: the routes below must not depend on the random draw a run makes without one.
      "--seed",
      "0",
      "--quiet",
      "--report-json",
      reportFile,
    ],
    io,
  );
  const report = JSON.parse(await readFile(path.join(dir, reportFile), "utf8")) as RunReport;
  return { code, stdout: io.out(), report };
}

function expectSteps(report: RunReport, expected: Expected[]): void {
  const startsWith = (rule: string | RegExp) =>
    expect.stringMatching(typeof rule === "string" ? new RegExp(`^${escapeRegExp(rule)}`) : rule);
  expect(
    report.steps.map((s) => [
      s.name,
      s.route,
      s.status,
      s.fallback?.reason ?? null,
      s.decision.reason,
    ]),
  ).toEqual(
    expected.map(([name, route, status, fallback, rule]) => [
      name,
      route,
      status,
      fallback,
      startsWith(rule),
    ]),
  );
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Rows of the terminal table: lines that start with a step name followed by a column gap. */
const tableRows = (stdout: string) =>
  stdout.split("\n").filter((line) => steps.some((name) => line.startsWith(`${name}  `)));

describe("the hybrid example (examples/hybrid-code-analyzer) under sim", () => {
  const runs = new Map<string, Awaited<ReturnType<typeof runExample>>>();

  beforeAll(async () => {
    const dir = await exampleDir();
    for (const mode of ["hybrid", "traditional", "dspy_optimized", "evaluation"]) {
      runs.set(mode, await runExample(dir, mode === "hybrid" ? undefined : mode));
    }
  }, 20_000);

  it.each(["hybrid", "traditional", "dspy_optimized", "evaluation"])(
    "%s: exits 0, says it is simulated and prints one table row per step",
    (mode) => {
      const { code, stdout, report } = runs.get(mode)!;
      expect(code).toBe(0);
      expect(report).toMatchObject({
        workflow: "hybrid_code_analyzer",
        mode,
        provider: "sim",
        simulated: true,
        status: "success",
      });
      expect(stdout).toContain(`hybrid_code_analyzer · ${mode}`);
      expect(tableRows(stdout).map((row) => row.split(/\s{2,}/)[0])).toEqual(steps);
    },
  );

  it("hybrid (the file's mode): each step takes the route the bounds of its held-out CI earn", () => {
    const { report } = runs.get("hybrid")!;
    expect(report.mode_source).toBe("hybrid_config");
    expectSteps(report, [
      [
        "analyze_structure",
        "optimized",
        "success",
        null,
        /^held-out Δ \+0\.\d+, 95% CI \[\+0\.\d+, \+0\.\d+\] on 40 cross-fitted examples \(5 folds\), exact_match: lower bound \+0\.\d+ > threshold 0\.1; /,
      ],
      [
        "detect_license",
        "traditional",
        "success",
        null,
        /^held-out Δ -0\.\d+, 95% CI \[-0\.\d+, -0\.\d+\] on 18 cross-fitted examples \(\d folds\), exact_match: upper bound -0\.\d+ < threshold 0\.1; /,
      ],
      [
        "generate_docs",
        "traditional",
        "success",
        null,
        // The difference varies per example (token F1 against each reference), around 0.
        /^held-out Δ [+-]0\.0\d+, 95% CI \[-0\.\d+, \+0\.0\d+\] on 22 cross-fitted examples \(5 folds\), composite: upper bound \+0\.0\d+ < threshold 0\.1; /,
      ],
      [
        "review_risks",
        "traditional",
        "success",
        null,
        // Below the floor: no held-out verdict, so the online A/B (a canary, without a judge) decides the arm.
        /^8 labelled examples \(< 10: needs more data\), token_f1: A\/B; canary chose traditional /,
      ],
      pinned,
    ]);
  });

  it("traditional: every step runs its own prompt and nothing is compiled", () => {
    const { report } = runs.get("traditional")!;
    expectSteps(
      report,
      steps.map((name): Expected => [
        name,
        "traditional",
        "success",
        null,
        "traditional mode: the step runs its own prompt",
      ]),
    );
    expect(report.lm_calls).toMatchObject({ optimize: 0, evaluate: 0 });
  });

  it("dspy_optimized: the steps with data run their program; write_report stays pinned", () => {
    const { report } = runs.get("dspy_optimized")!;
    const compiled = (name: string): Expected => [
      name,
      "optimized",
      "success",
      null,
      "mode dspy_optimized: compiled program available",
    ];
    expectSteps(report, [
      compiled("analyze_structure"),
      compiled("detect_license"),
      compiled("generate_docs"),
      compiled("review_risks"),
      pinned,
    ]);
  });

  it("evaluation: both variants on held-out examples of each step with data, and every verdict once", () => {
    const { report } = runs.get("evaluation")!;
    const evaluated = (name: string): Expected => [
      name,
      "ab",
      "success",
      null,
      new RegExp(`^evaluation mode: both variants on ${labelled[name]} cross-fitted examples`),
    ];
    expectSteps(report, [
      evaluated("analyze_structure"),
      evaluated("detect_license"),
      evaluated("generate_docs"),
      [
        "review_risks",
        "ab",
        "success",
        null,
        "evaluation mode: both variants on 8 labelled examples (< 10: needs more data), token_f1",
      ],
      pinned,
    ]);
    expect(
      report.steps.map((s) => [
        s.name,
        s.ab ? { source: s.ab.source, n: s.ab.n, verdict: s.ab.heldout?.verdict } : null,
      ]),
    ).toEqual([
      ["analyze_structure", { source: "evaluation", n: 40, verdict: "better" }],
      ["detect_license", { source: "evaluation", n: 18, verdict: "worse" }],
      ["generate_docs", { source: "evaluation", n: 22, verdict: "inconclusive" }],
      ["review_risks", { source: "evaluation", n: 0, verdict: "needs_more_data" }],
      ["write_report", null],
    ]);
    // generate_docs' difference is not constant: a real interval, not a point.
    const docs = report.steps.find((s) => s.name === "generate_docs")!.ab!.heldout!;
    expect(docs.se).toBeGreaterThan(0);
  });

  it("evaluation: each compared step names its regressed examples (optimized failed, traditional passed), at most 5", () => {
    const { report } = runs.get("evaluation")!;
    const byName = new Map(report.steps.map((s) => [s.name, s]));
    // exact_match: pass/fail scores, pass mark 1.
    for (const name of ["analyze_structure", "detect_license"]) {
      const step = byName.get(name)!;
      const regressed = step.ab!.pairs.filter((p) => p.traditional === 1 && p.optimized === 0);
      expect(step.regressions).toHaveLength(Math.min(5, regressed.length));
      for (const r of step.regressions!) {
        expect([r.traditional.score, r.optimized.score]).toEqual([1, 0]);
        expect(r.traditional.answer).not.toBe(r.optimized.answer);
        for (const answer of [r.traditional.answer, r.optimized.answer])
          expect([...answer].length).toBeLessThanOrEqual(300);
        // An example without an id of its own is shown by an excerpt of its input.
        expect(r.input !== undefined).toBe(r.id.startsWith("sha256:"));
      }
    }
    // detect_license is worse: the reader sees examples that it got wrong.
    expect(byName.get("detect_license")!.regressions!.length).toBeGreaterThan(0);
    // review_risks is below the floor (nothing scored held-out), write_report forced traditional.
    for (const name of ["review_risks", "write_report"])
      expect(byName.get(name)!.regressions).toBeUndefined();
  });
});

describe("optimize, then run: one cache between them and between runs", () => {
  it("runs the programs `optimize` compiled without compiling again, and a second run is served by the caches", async () => {
    const dir = await exampleDir();
    const optimize = captureIo(dir);
    expect(
      await main(
        ["optimize", exampleFile, "--provider", "sim", "--step", "generate_docs"],
        optimize,
      ),
    ).toBe(0);
    expect(optimize.out()).toContain(
      "generate_docs: composite held out (cross-fitted n=22, 5 folds)",
    );

    const first = await runExample(dir, undefined);
    expect(first.code).toBe(0);
    const docs = (r: RunReport) => r.steps.find((s) => s.name === "generate_docs")!;
    // generate_docs was compiled by `optimize`: the run reads it from the default cache directory.
    expect(docs(first.report).decision.reason).toMatch(
      /program from the (memory|disk) cache \(evidence: 22 cross-fitted examples \(5 folds\), composite\)$/,
    );

    const second = await runExample(dir, undefined);
    expect(second.report.lm_calls.optimize).toBe(0);
    // The same input again: the LM-call cache answers.
    expect(second.report.lm_calls.step).toBe(0);
    expect(second.report.cache.hits.disk).toBeGreaterThan(0);
  });

  it("--no-cache compiles again and keeps nothing", async () => {
    const dir = await exampleDir();
    const io = captureIo(dir);
    expect(
      await main(
        [
          "run",
          exampleFile,
          "--provider",
          "sim",
          "--no-cache",
          "--quiet",
          "--report-json",
          "r.json",
        ],
        io,
      ),
    ).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, "r.json"), "utf8")) as RunReport;
    expect(report.lm_calls.optimize).toBeGreaterThan(0);
    expect(report.cache.hits.disk + report.cache.misses).toBe(0);
  });
});

describe("run --no-compile", () => {
  it("uses only programs already compiled; a step without one falls back instead of compiling now", async () => {
    const dir = await exampleDir();
    expect(
      await main(
        ["optimize", exampleFile, "--provider", "sim", "--step", "analyze_structure"],
        captureIo(dir),
      ),
    ).toBe(0);
    const io = captureIo(dir);
    expect(
      await main(
        [
          "run",
          exampleFile,
          "--provider",
          "sim",
          "--no-compile",
          "--quiet",
          "--report-json",
          "r.json",
        ],
        io,
      ),
    ).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, "r.json"), "utf8")) as RunReport;
    expect(report.lm_calls.optimize).toBe(0);
    const step = (name: string) => report.steps.find((s) => s.name === name)!;
    expect(step("analyze_structure").route).toBe("optimized");
    expect(step("analyze_structure").decision.reason).toMatch(/program from the disk cache/);
    expect(step("generate_docs").fallback).toEqual({
      reason: "dspy_unavailable",
      detail:
        "no fresh compiled program of step 'generate_docs' in the cache, and compiling is off for this run",
    });
  });
});
