/**
 * The Action's bundle, run as the runner runs it: cold start (spawn → first step starting, from the
 * bundle's own log line), bundle size, and the warm re-run's LM calls relative to the cold run's.
 * Run after `npm run build:action` and `npm run build`: node lib/bench/action-dist.js
 * ACTION_DIST_DIR=/tmp/some-dist measures a bundle built elsewhere (`npx ncc build src/action/main.ts -o /tmp/some-dist`).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bundle = join(resolve(root, process.env.ACTION_DIST_DIR ?? "dist"), "index.js");
const runs = Number(process.env.BENCH_RUNS ?? 5);

const pipeline = `workflow:
  name: ticket_triage
  steps:
    - name: classify
      type: claude
      signature: "ticket -> label"
      metric: exact_match
      prompt:
        - type: static
          content: "Classify this ticket as one of: bug, feature, question. Ticket: The app crashes on start."
  dspy_config:
    optimization_enabled: true
    training_data_path: training_data
  hybrid_config:
    mode: hybrid
`;
const trainset = ["bug", "feature", "question", "bug"]
  .map((label, i) => JSON.stringify({ input: `ticket ${i}`, output: label }))
  .join("\n");

interface LmCalls {
  step: number;
  optimize: number;
  evaluate: number;
  judge: number;
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "bench-action-"));
  mkdirSync(join(dir, "pipelines"));
  mkdirSync(join(dir, "training_data"));
  writeFileSync(join(dir, "pipelines/triage.yaml"), pipeline);
  writeFileSync(join(dir, "training_data/classify.jsonl"), trainset);
  return dir;
}

/** One run; the Actions cache is off, so the cache directory persists in the workspace as on a self-hosted runner. */
function run(dir: string): {
  firstStepMs: number;
  firstStepCpuMs: number;
  wallMs: number;
  calls: LmCalls;
} {
  writeFileSync(join(dir, "out"), "");
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bundle], {
    cwd: dir,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      GITHUB_WORKSPACE: dir,
      GITHUB_OUTPUT: join(dir, "out"),
      RUNNER_TEMP: dir,
      INPUT_WORKFLOWS: "pipelines/*.yaml",
      INPUT_PROVIDER: "sim",
      INPUT_CACHE: "false",
      INPUT_COMMENT: "false",
      "INPUT_REPORT-PATH": "report.json",
    },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const match = /first step \(.*\) starting (\d+) ms after process start \((\d+) ms CPU\)/.exec(
    result.stdout,
  );
  if (result.status !== 0 || !match)
    throw new Error(
      `the bundle failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  const reports = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as Array<{
    lm_calls: LmCalls;
  }>;
  return {
    firstStepMs: Number(match[1]),
    firstStepCpuMs: Number(match[2]),
    wallMs,
    calls: reports[0]!.lm_calls,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const cold: Array<ReturnType<typeof run>> = [];
const warm: Array<ReturnType<typeof run>> = [];
for (let i = 0; i < runs; i++) {
  const dir = workspace();
  try {
    cold.push(run(dir));
    warm.push(run(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const total = (c: LmCalls): number => c.step + c.optimize + c.evaluate + c.judge;
const coldOptimize = cold[0]!.calls.optimize;
const warmOptimize = warm[0]!.calls.optimize;
console.log(`bundle: ${bundle} ${(statSync(bundle).size / 1024 / 1024).toFixed(2)} MiB`);
console.log(
  `cold start (spawn → first step starting), median of ${runs}: ${median(cold.map((r) => r.firstStepMs))} ms wall, ${median(cold.map((r) => r.firstStepCpuMs))} ms CPU (target ≤ 500 ms)`,
);
console.log(
  `wall time per run, median: cold ${median(cold.map((r) => r.wallMs)).toFixed(0)} ms, warm ${median(warm.map((r) => r.wallMs)).toFixed(0)} ms`,
);
console.log(
  `LM calls cold: ${JSON.stringify(cold[0]!.calls)}; warm: ${JSON.stringify(warm[0]!.calls)}`,
);
console.log(
  `warm ÷ cold optimizer LM calls: ${coldOptimize === 0 ? `n/a (cold run made 0 optimizer calls; warm made ${warmOptimize})` : (warmOptimize / coldOptimize).toFixed(3)} (target 0)`,
);
console.log(
  `warm ÷ cold all LM calls: ${(total(warm[0]!.calls) / Math.max(1, total(cold[0]!.calls))).toFixed(3)}`,
);
