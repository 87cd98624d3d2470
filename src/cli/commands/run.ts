import { randomInt } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { executionModes, formatProblem, type ExecutionMode } from "../../config/index.js";
import {
  DEFAULT_CACHE_DIR,
  isProviderChoice,
  loadPipeline,
  openRun,
  projectRun,
  providerChoices,
  providerSecrets,
  REDIS_URL_ENV,
  resolveRunSeed,
} from "../../engine/index.js";
import { redact } from "../../report/index.js";
import { renderTerminalReport } from "../../render/index.js";
import { ExitCode, UsageError, type CliIo, type Command } from "../cli-io.js";
import { runInputProblems } from "../input-checks.js";
import { stopOnSignal } from "../stop-on-signal.js";
import { runProjectionLines } from "./projection-lines.js";
import { reportTargetRefusal } from "./report-target.js";
import { lockWaitLine, progressLine, stoppedLine } from "./run-progress.js";

const usage = `Usage: hybrid-pipeline run FILE [options]

Runs a pipeline_ex workflow and prints a per-step summary.

Options:
  --mode MODE          traditional | dspy_optimized | hybrid | evaluation (default: the workflow's)
  --provider NAME      ${providerChoices.join(" | ")} (default auto);
                       auto picks the first provider with an API key, else replay
                       (--cassettes holding some), else sim (offline)
  --report-json FILE   write the run report (JSON) to FILE
  --workdir DIR        directory prompt files, outputs and the workspace are relative to (default: cwd)
  --concurrency N      most LM calls in flight within a step (default 4)
  --budget-usd X       stop sending LM calls once X dollars are spent
  --cache-dir DIR      cache compiled programs, A/B history and LM calls (temperature 0) on disk
                       in DIR (default .hybrid-pipeline/cache, the one \`optimize\` writes)
  --no-cache           no cache at all (dspy_config.cache_enabled: false does the same)
  --no-compile         use only programs already compiled (committed under .hybrid-pipeline/programs,
                       or cached by \`optimize\` or an earlier run); a step
                       without one falls back (dspy_unavailable) instead of compiling now
  --redis-url URL      also cache in Redis (default: $HYBRID_PIPELINE_REDIS_URL)
  --record DIR         record real responses as cassettes in DIR
  --cassettes DIR      cassette directory the replay provider reads
  --input KEY=VALUE    a value for {{inputs.KEY}} (repeatable)
  --seed N             seed of the online A/B allocation (default: a random draw; the report's
                       \`seed\` repeats a run's routes with the same cache state or --no-cache)
  --quiet              no per-step progress on stderr
  --dry-run            print the LM calls and dollars the run's compile and evaluation work is
                       projected to cost (empty cache, price table) and send nothing

Exit codes: 0 the run succeeded, 1 invalid workflow or a failed step, 2 usage error,
130/143 stopped by SIGINT/SIGTERM (the partial report is still written).`;

function positiveNumber(
  flag: string,
  value: string | undefined,
  integer: boolean,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new UsageError(
      `${flag} must be a positive ${integer ? "integer" : "number"}, not '${value}'`,
    );
  return n;
}

function parseInputs(pairs: string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--input must be KEY=VALUE, not '${pair}'`);
    inputs[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return inputs;
}

async function writeReport(file: string, json: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, json);
  await rename(tmp, file);
}

/** `hybrid-pipeline run`: loads a workflow, runs it, prints progress (stderr) and a summary (stdout), writes the report. */
export const runCommand: Command = {
  name: "run",
  summary: "run a pipeline (per-step progress, summary, --report-json)",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        mode: { type: "string" },
        provider: { type: "string", default: "auto" },
        "report-json": { type: "string" },
        workdir: { type: "string" },
        concurrency: { type: "string" },
        "budget-usd": { type: "string" },
        "cache-dir": { type: "string" },
        "no-cache": { type: "boolean", default: false },
        "no-compile": { type: "boolean", default: false },
        "redis-url": { type: "string" },
        record: { type: "string" },
        cassettes: { type: "string" },
        input: { type: "string", multiple: true, default: [] },
        seed: { type: "string" },
        quiet: { type: "boolean", default: false },
        "dry-run": { type: "boolean", default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError("give exactly one pipeline FILE");
    const mode = values.mode as ExecutionMode | undefined;
    if (mode !== undefined && !(executionModes as readonly string[]).includes(mode))
      throw new UsageError(`--mode must be one of ${executionModes.join(", ")}, not '${mode}'`);
    const provider = values.provider;
    if (!isProviderChoice(provider))
      throw new UsageError(
        `--provider must be one of ${providerChoices.join(", ")}, not '${provider}'`,
      );
    const concurrency = positiveNumber("--concurrency", values.concurrency, true);
    const budgetUsd = positiveNumber("--budget-usd", values["budget-usd"], false);
    const flag = values.seed === undefined ? undefined : Number(values.seed);
    if (flag !== undefined && (!Number.isInteger(flag) || flag < 0 || flag > 0xffffffff))
      throw new UsageError(`--seed must be an integer from 0 to 4294967295, not '${values.seed}'`);
    const seed = resolveRunSeed({
      ...(flag !== undefined ? { flag } : {}),
      draw: () => randomInt(0x100000000) / 0x100000000,
    });
    const inputs = parseInputs(values.input);
    const workdir = path.resolve(io.cwd, values.workdir ?? ".");
    const secrets = providerSecrets(io.env);
    const err = (text: string) => io.stderr(`${redact(text, secrets)}\n`);

    const file = positionals[0]!;
    const loaded = await loadPipeline(path.resolve(io.cwd, file), { workdir });
    for (const problem of loaded.ok ? loaded.warnings : [...loaded.problems, ...loaded.warnings])
      err(formatProblem({ ...problem, file }));
    if (!loaded.ok) return ExitCode.failed;
    const refused = await reportTargetRefusal(
      values["report-json"],
      file,
      loaded.workflow,
      io,
      workdir,
    );
    if (refused) {
      err(`hybrid-pipeline run: ${refused}`);
      return ExitCode.usage;
    }
    const given = Object.keys(inputs);
    const invalid = await runInputProblems(file, loaded.workflow, { mode, workdir, given });
    if (invalid.length > 0) {
      for (const line of invalid) err(line);
      return ExitCode.failed;
    }
    if (values["dry-run"]) {
      const projection = await projectRun({
        workflow: loaded.workflow,
        workdir,
        compile: !values["no-compile"],
        ...(mode ? { mode } : {}),
      });
      io.stdout(runProjectionLines(loaded.workflow.name, projection, budgetUsd).join("\n") + "\n");
      return ExitCode.ok;
    }

    const opened = await openRun(loaded, {
      env: io.env,
      provider,
      ...(values.record ? { record: path.resolve(io.cwd, values.record) } : {}),
      ...(values.cassettes ? { cassetteDir: path.resolve(io.cwd, values.cassettes) } : {}),
      cache: values["no-cache"]
        ? null
        : {
            dir: values["cache-dir"] ?? DEFAULT_CACHE_DIR,
            redisUrl: values["redis-url"] ?? io.env[REDIS_URL_ENV] ?? null,
          },
      warn: (m) => err(`warning: ${m}`),
      onLockWait: (wait) => err(lockWaitLine(wait)),
    });
    if (opened.kind === "unavailable") {
      err(`hybrid-pipeline run: ${opened.reason}`);
      return ExitCode.failed;
    }
    const stop = stopOnSignal();
    try {
      const report = await opened.run.run({
        inputs,
        seed,
        compile: !values["no-compile"],
        signal: stop.signal,
        ...(mode ? { mode } : {}),
        ...(concurrency ? { concurrency } : {}),
        ...(budgetUsd ? { budgetUsd } : {}),
        ...(values.quiet
          ? {}
          : {
              onStep: (e) => {
                if (e.kind === "finished") err(progressLine(e.report));
              },
            }),
      });
      io.stdout(`${renderTerminalReport(report)}\n`);
      if (values["report-json"]) {
        const target = path.resolve(io.cwd, values["report-json"]);
        await writeReport(target, `${JSON.stringify(report, null, 2)}\n`);
        io.stdout(`report written to ${values["report-json"]}\n`);
      }
      const signal = stop.received();
      if (signal) err(stoppedLine(signal, report, values["report-json"]));
      return stop.exitCode(report.status === "success" ? ExitCode.ok : ExitCode.failed);
    } finally {
      await opened.run.close();
      stop.dispose();
    }
  },
};
