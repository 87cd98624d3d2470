import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatProblem, optimizerNames } from "../../config/index.js";
import {
  DEFAULT_CACHE_DIR,
  isProviderChoice,
  loadPipeline,
  openRun,
  providerChoices,
} from "../../engine/index.js";
import {
  formatDataProblem,
  isOptimizerName,
  resolveSignature,
  toDspyJson,
  type CompileOutcome,
} from "../../optimize/index.js";
import { ExitCode, UsageError, type CliIo, type Command } from "../cli-io.js";

const usage = `Usage: hybrid-pipeline optimize FILE [--step NAME] [--optimizer X] [--budget-calls N]
                                [--provider P] [--cache-dir DIR] [--out DIR] [--seed N] [--no-cache]

Compiles the prompt of each step with a signature (or only --step) from its training data
(dspy_config.training_data_path) into a program of instructions and demos, and prints each
step's dev score before and after, with the LM calls used by purpose.

Options:
  --step NAME        only this step
  --optimizer X      ${optimizerNames.join(" | ")} (default: dspy_config.evaluation_mode)
  --budget-calls N   never send more than N LM calls per step
  --provider P       ${providerChoices.join(" | ")} (default auto)
  --cache-dir DIR    optimization cache directory (default .hybrid-pipeline/cache)
  --no-cache         compile without reading or writing the cache
  --out DIR          also write each program as DSPy JSON: DIR/<step>.json
  --seed N           overrides optimizer_options.seed
  --workdir DIR      directory paths are relative to (default: the current directory)

Exit codes: 0 every requested step compiled, 1 invalid input or a step could not be compiled, 2 usage error.`;

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new UsageError(`${flag} must be a non-negative integer, not '${value}'`);
  return Number(value);
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
    `${name}: ${meta.metric} on dev (n=${meta.n_dev}) ${meta.baseline_dev_score.toFixed(3)} → ${meta.optimized_dev_score.toFixed(3)}${simulated ? " (simulated)" : ""}`,
    ...(meta.traditional_dev_score === undefined
      ? []
      : [
          `  the step's own prompt on dev: ${meta.traditional_dev_score.toFixed(3)} (hybrid routing weighs the program against it)`,
        ]),
    `  ${meta.optimizer}, ${source}: ${program.demos.length} demos (${augmented} bootstrapped), trainset ${meta.n_train}`,
    `  LM calls this run: ${outcome.usage.total_calls} (teacher ${c.teacher}, proposal ${c.proposal}, evaluation ${c.evaluation}, judge ${c.judge}), tokens ${outcome.usage.input_tokens} in / ${outcome.usage.output_tokens} out, cost ${outcome.usage.cost_usd === null ? "unknown" : `$${outcome.usage.cost_usd.toFixed(4)}`}${simulated ? " (simulated)" : ""}`,
  ];
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
        "no-cache": { type: "boolean", default: false },
        out: { type: "string" },
        seed: { type: "string" },
        workdir: { type: "string" },
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
    const opened = await openRun(loaded, {
      env: io.env,
      provider,
      cache: values["no-cache"]
        ? null
        : { dir: values["cache-dir"] ?? DEFAULT_CACHE_DIR, redisUrl: null },
      warn: (m) => io.stderr(`warning: ${m}\n`),
    });
    if (opened.kind === "unavailable") {
      io.stderr(`hybrid-pipeline optimize: ${opened.reason}\n`);
      return ExitCode.failed;
    }
    const ready = opened.run;
    let failed = 0;
    try {
      io.stdout(
        `optimize ${workflow.name} · provider ${ready.provider.provider}${ready.simulated ? " · simulated: every score and cost below comes from the offline sim provider" : ""}\n`,
      );
      for (const step of steps) {
        const outcome = await ready.compile({
          step,
          ...(optimizer ? { optimizer } : {}),
          ...(seed !== undefined ? { params: { seed } } : {}),
          ...(budgetCalls !== undefined ? { budgetCalls } : {}),
        });
        io.stdout(describe(step.name, outcome, ready.simulated).join("\n") + "\n");
        if (outcome.kind === "unavailable") failed++;
        else if (values.out) {
          const dir = resolve(workdir, values.out);
          await mkdir(dir, { recursive: true });
          await writeFile(
            join(dir, `${step.name}.json`),
            JSON.stringify(toDspyJson(outcome.program), null, 2) + "\n",
          );
        }
      }
    } finally {
      await ready.close();
    }
    return failed === 0 ? ExitCode.ok : ExitCode.failed;
  },
};
