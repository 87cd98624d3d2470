import { mkdir, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatProblem, optimizerNames, type Step, type Workflow } from "../../config/index.js";
import {
  DEFAULT_CACHE_DIR,
  isProviderChoice,
  loadPipeline,
  openRun,
  providerChoices,
  REDIS_URL_ENV,
  stepModel,
  type CompiledKey,
} from "../../engine/index.js";
import {
  emptyProjection,
  formatDataProblem,
  mergeProjection,
  projectCompileStep,
  isOptimizerName,
  programFilePath,
  programInputs,
  resolveSignature,
  writeProgramFiles,
  toDspyJson,
  type CompileOutcome,
  type OptimizerName,
  type ProgramMeta,
} from "../../optimize/index.js";
import { summarizePairs } from "../../stats/index.js";
import { ExitCode, UsageError, type CliIo, type Command } from "../cli-io.js";
import { projectionLines, projectionSummary, searchLines } from "./projection-lines.js";

const usage = `Usage: hybrid-pipeline optimize FILE [--step NAME] [--optimizer X] [--budget-calls N]
                                [--provider P] [--cache-dir DIR] [--redis-url URL] [--out DIR] [--write]
                                [--seed N] [--no-cache] [--dry-run]

Compiles the prompt of each step with a signature (or only --step) from its training data
(dspy_config.training_data_path) into a program of instructions and demos, and prints each
step's dev score before and after, with the LM calls used by purpose.

Options:
  --step NAME        only this step
  --optimizer X      ${optimizerNames.join(" | ")} (default: dspy_config.evaluation_mode)
  --budget-calls N   never send more than N LM calls per step
  --provider P       ${providerChoices.join(" | ")} (default auto)
  --cache-dir DIR    optimization cache directory (default .hybrid-pipeline/cache)
  --redis-url URL    also save programs in Redis (default: $HYBRID_PIPELINE_REDIS_URL)
  --no-cache         compile without reading or writing the cache
  --out DIR          also write each program as DSPy JSON: DIR/<step>.json
  --write            write each program to the repository's prompt lockfile:
                     .hybrid-pipeline/programs/<file stem>/<step>.json (DSPy JSON, the hash
                     of its inputs, its dev scores) and <step>.prompt.md (its exact messages,
                     for review); commit both, and runs use them without compiling
  --seed N           overrides optimizer_options.seed
  --workdir DIR      directory paths are relative to (default: the current directory)
  --dry-run          print each step's projected LM calls and dollars (empty cache, price table,
                     token counts of the prompts it would send) and send nothing

Exit codes: 0 every requested step compiled, 1 invalid input or a step could not be compiled, 2 usage error.`;

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new UsageError(`${flag} must be a non-negative integer, not '${value}'`);
  return Number(value);
}

const signed = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(3)}`;

/** The held-out comparison in one line: split and n, both arms' means, Δ with its 95% CI. */
function heldoutLine(meta: ProgramMeta): string {
  const { heldout } = meta;
  if (heldout.split === "none")
    return `needs more data for a held-out verdict: add at least ${heldout.min_labelled - heldout.n_labelled} more labelled examples (have ${heldout.n_labelled}, floor ${heldout.min_labelled})`;
  const s = summarizePairs(heldout.pairs, { seed: 0 });
  const mean = (k: "traditional" | "optimized") =>
    (heldout.pairs.reduce((a, p) => a + p[k], 0) / Math.max(1, s.n)).toFixed(3);
  const where =
    heldout.split === "test" ? `test n=${s.n}` : `cross-fitted n=${s.n}, ${heldout.folds} folds`;
  return `${meta.metric} held out (${where}): traditional ${mean("traditional")} → optimized ${mean("optimized")}, Δ ${signed(s.delta)} [95% CI ${signed(s.ci95[0])}, ${signed(s.ci95[1])}]`;
}

function describe(name: string, outcome: CompileOutcome, simulated: boolean): string[] {
  if (outcome.kind === "unavailable")
    return [
      `${name}: not compiled (${outcome.reason}): ${outcome.detail}`,
      ...outcome.problems.map(formatDataProblem),
    ];
  const { meta, program } = outcome.program;
  const c = outcome.usage.calls;
  const source = outcome.tier === "computed" ? "compiled" : `from cache (${outcome.tier})`;
  const augmented = program.demos.filter((d) => d.augmented).length;
  return [
    `${name}: ${heldoutLine(meta)}${simulated ? " (simulated)" : ""}`,
    `  ${meta.optimizer}, ${source}: ${program.demos.length} demos (${augmented} bootstrapped), trainset ${meta.n_train}, validation ${meta.n_validation}`,
    ...searchLines(meta),
    `  LM calls this run: ${outcome.usage.total_calls} (teacher ${c.teacher}, proposal ${c.proposal}, evaluation ${c.evaluation}, held-out ${c.ab}, judge ${c.judge}), tokens ${outcome.usage.input_tokens} in / ${outcome.usage.output_tokens} out, cost ${outcome.usage.cost_usd === null ? "unknown" : `$${outcome.usage.cost_usd.toFixed(4)}`}${simulated ? " (simulated)" : ""}`,
  ];
}

/** `--dry-run`: the projection of every step and the total, nothing sent. */
async function printProjection(
  steps: Step[],
  workflow: Workflow,
  workdir: string,
  io: CliIo,
  overrides: { optimizer?: OptimizerName; params?: { seed: number } },
): Promise<void> {
  io.stdout(`optimize ${workflow.name} · dry run: projected with an empty cache, nothing sent\n`);
  const total = emptyProjection();
  for (const step of steps) {
    const projection = await projectCompileStep({
      step,
      workflow,
      workdir,
      model: stepModel(step, workflow),
      ...overrides,
    });
    io.stdout(projectionLines(projection).join("\n") + "\n");
    if (projection.kind === "projected") mergeProjection(total, projection.total);
  }
  io.stdout(`total: ${projectionSummary(total)}\n`);
}

/** `hybrid-pipeline optimize`: compiles the steps' programs through the optimization cache and reports dev scores. */
export const optimizeCommand: Command = {
  name: "optimize",
  summary: "compile steps' prompts from training data into optimized programs (DSPy-style)",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        step: { type: "string" },
        optimizer: { type: "string" },
        "budget-calls": { type: "string" },
        provider: { type: "string", default: "auto" },
        "cache-dir": { type: "string" },
        "redis-url": { type: "string" },
        "no-cache": { type: "boolean", default: false },
        out: { type: "string" },
        write: { type: "boolean", default: false },
        seed: { type: "string" },
        workdir: { type: "string" },
        "dry-run": { type: "boolean", default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError("give exactly one FILE");
    const provider = values.provider;
    if (!isProviderChoice(provider))
      throw new UsageError(
        `--provider must be one of ${providerChoices.join(", ")}, not '${provider}'`,
      );
    const optimizer = values.optimizer;
    if (optimizer !== undefined && !isOptimizerName(optimizer))
      throw new UsageError(`unknown optimizer '${optimizer}'; valid: ${optimizerNames.join(", ")}`);
    const budgetCalls = positiveInt(values["budget-calls"], "--budget-calls");
    const seed = positiveInt(values.seed, "--seed");
    const workdir = resolve(io.cwd, values.workdir ?? ".");

    const loaded = await loadPipeline(positionals[0]!, { workdir });
    if (!loaded.ok) {
      io.stderr([...loaded.problems, ...loaded.warnings].map(formatProblem).join("\n") + "\n");
      return ExitCode.failed;
    }
    const { workflow } = loaded;
    const withSignature = workflow.steps.filter((s) => resolveSignature(s, workflow) !== undefined);
    const steps =
      values.step === undefined
        ? withSignature
        : withSignature.filter((s) => s.name === values.step);
    if (steps.length === 0) {
      const known = withSignature.map((s) => s.name).join(", ") || "none";
      io.stderr(
        `${loaded.file}: error: ${values.step === undefined ? "no step has a signature" : `step '${values.step}' does not exist or has no signature`} (steps with a signature: ${known}; add \`signature:\` to a step or dspy_config.signatures)\n`,
      );
      return ExitCode.failed;
    }
    if (values["dry-run"]) {
      await printProjection(steps, workflow, workdir, io, {
        ...(optimizer ? { optimizer: optimizer as OptimizerName } : {}),
        ...(seed !== undefined ? { params: { seed } } : {}),
      });
      return ExitCode.ok;
    }
    const opened = await openRun(loaded, {
      env: io.env,
      provider,
      cache: values["no-cache"]
        ? null
        : {
            dir: values["cache-dir"] ?? DEFAULT_CACHE_DIR,
            redisUrl: values["redis-url"] ?? io.env[REDIS_URL_ENV] ?? null,
          },
      warn: (m) => io.stderr(`warning: ${m}\n`),
    });
    if (opened.kind === "unavailable") {
      io.stderr(`hybrid-pipeline optimize: ${opened.reason}\n`);
      return ExitCode.failed;
    }
    const ready = opened.run;
    const compiled: CompiledKey[] = [];
    let failed = 0;
    try {
      io.stdout(
        `optimize ${workflow.name} · provider ${ready.provider.provider}${ready.simulated ? " · simulated: every score and cost below comes from the offline sim provider" : ""}\n`,
      );
      for (const step of steps) {
        const outcome = await ready.compile({
          step,
          ...(optimizer ? { optimizer: optimizer as OptimizerName } : {}),
          ...(seed !== undefined ? { params: { seed } } : {}),
          ...(budgetCalls !== undefined ? { budgetCalls } : {}),
        });
        io.stdout(describe(step.name, outcome, ready.simulated).join("\n") + "\n");
        if (outcome.kind === "unavailable") {
          failed++;
          continue;
        }
        if (outcome.tier === "computed")
          compiled.push({ step: step.name, key: outcome.program.meta.cache_key });
        if (values.out) {
          const dir = resolve(workdir, values.out);
          await mkdir(dir, { recursive: true });
          await writeFile(
            join(dir, `${step.name}.json`),
            JSON.stringify(toDspyJson(outcome.program), null, 2) + "\n",
          );
        }
        if (values.write) {
          const inputs = (await programInputs(step, workflow, workdir, {
            ...(optimizer ? { optimizer: optimizer as OptimizerName } : {}),
            ...(seed !== undefined ? { params: { seed } } : {}),
          }))!;
          const written = await writeProgramFiles(
            programFilePath(workdir, loaded.file, step.name),
            workflow.name,
            outcome.program,
            inputs,
          );
          io.stdout(`  wrote ${written.map((f) => relative(workdir, f)).join(", ")}\n`);
        }
      }
      const unsaved = await ready.unsavedPrograms(compiled);
      for (const line of unsaved) io.stderr(`${loaded.file}: error: ${line}\n`);
      failed += unsaved.length;
    } finally {
      await ready.close();
    }
    return failed === 0 ? ExitCode.ok : ExitCode.failed;
  },
};
