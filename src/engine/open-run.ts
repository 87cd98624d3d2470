import { isAbsolute, relative, resolve } from "node:path";
import { createTieredCache, type LockWait, type TieredCache } from "../cache/index.js";
import {
  formatProblem,
  loadWorkflowFile,
  type Problem,
  type Step,
  type Workflow,
} from "../config/index.js";
import {
  compileStep,
  programFilePath,
  programInputs,
  resolveSignature,
  writeProgramFiles,
  type CompileOutcome,
  type OptimizerName,
  type OptimizerParams,
} from "../optimize/index.js";
import {
  chooseProvider,
  createLanguageModel,
  ProviderError,
  providerSecrets,
  type LanguageModel,
  type ProviderChoice,
  type ProviderDecision,
} from "../providers/index.js";
import type { RunReport } from "../report/index.js";
import { createRunContext, type Logger } from "./run-context.js";
import type { RunSeed } from "./run-seed.js";
import { runWorkflow, type RunOptions } from "./run-workflow.js";
import { unsavedPrograms, type CompiledKey } from "./saved-programs.js";
import { stepModel } from "./step-model.js";
import type { RawStep } from "./exec-context.js";
import { compileInputOf } from "./hybrid/step-program.js";

/** A pipeline file loaded and validated, or every problem found in it. */
export type LoadedPipeline =
  | {
      ok: true;
      /** The file as given. */
      file: string;
      workflow: Workflow;
      /** Directory the file, prompt parts and training data are relative to. */
      workdir: string;
      /** Load warnings; `openRun` puts them into the report. */
      warnings: Problem[];
      /** Files a compiled program depends on besides the pipeline (training data), for cache keys. */
      dependencies: string[];
    }
  | { ok: false; file: string; problems: Problem[]; warnings: Problem[] };

/** Loads and validates `file` (absolute, or relative to `workdir`), collecting every problem; never throws on bad input. */
export async function loadPipeline(
  file: string,
  options: { workdir: string },
): Promise<LoadedPipeline> {
  const loaded = await loadWorkflowFile(file, { workdir: options.workdir });
  if (!loaded.ok) return { ok: false, file, problems: loaded.problems, warnings: loaded.warnings };
  const trainingData = loaded.workflow.dspy_config?.training_data_path;
  return {
    ok: true,
    file,
    workflow: loaded.workflow,
    workdir: options.workdir,
    warnings: loaded.warnings,
    dependencies: trainingData ? [resolve(options.workdir, trainingData)] : [],
  };
}

/** The run's environment and the face's choices: provider, cache tiers, secrets. */
export interface OpenRunOptions {
  /** Provider keys and base URLs are read from here, never from process.env. */
  env: NodeJS.ProcessEnv;
  /** @default "auto" */
  provider?: ProviderChoice;
  /**
   * A named provider without its key: `fail` (the run is `unavailable`) or `fall_back` to replay
   * cassettes, else sim, saying why. @default "fail"
   */
  whenUnusable?: "fail" | "fall_back";
  /** Cassette directory the replay provider reads (and `auto` replays when no key is set). @default none */
  cassetteDir?: string;
  /** Record every real response as a cassette in this directory. @default no recording */
  record?: string;
  /**
   * Cache tiers: the disk directory (relative to the workdir; null for none) and Redis URL.
   * `dspy_config.cache_enabled: false` gives a cache that stores nothing. @default null (no cache at all)
   */
  cache?: { dir: string | null; redisUrl: string | null } | null;
  /** Secrets besides the provider keys and GITHUB_TOKEN/GH_TOKEN in `env` (a token input, a Redis password); all are redacted from the report. @default [] */
  secrets?: readonly string[];
  /** Warnings while opening and running (degraded tiers, unpriced models). @default none */
  warn?: (message: string) => void;
  /** Told when a compile waits on a lock another process holds (which step, how long). @default none */
  onLockWait?: (wait: LockWait) => void;
}

/** How to start one run of an opened pipeline. */
export type StartOptions = Pick<
  RunOptions,
  "mode" | "concurrency" | "budgetUsd" | "compile" | "inputs" | "onStep" | "sleep" | "signal"
> & {
  /** Seed of the online allocation and where it came from (`resolveRunSeed`). @default 0, source `default` */
  seed?: RunSeed;
  /** @default a logger that sends warnings to `warn` */
  logger?: Logger;
  /** Clock, injectable so two runs can be compared. @default Date.now */
  now?: () => number;
};

/** How to compile one step's program with the opened model and cache. */
export interface CompileRequest {
  step: Step;
  /** Overrides `dspy_config.evaluation_mode`. */
  optimizer?: OptimizerName;
  /** Overrides `dspy_config.optimizer_options`. */
  params?: Partial<OptimizerParams>;
  /** Hard cap on LM calls sent. @default Infinity */
  budgetCalls?: number;
  /** false: only a cached program; never compile (show-prompt). @default true */
  allowCompile?: boolean;
}

/** A pipeline ready to run: the model chosen and wrapped, the cache tiers open, the secrets known. */
export interface ReadyRun {
  readonly workflow: Workflow;
  readonly provider: ProviderDecision;
  readonly simulated: boolean;
  /** Every secret value redacted from the report (provider keys in `env` and the given ones). */
  readonly secrets: readonly string[];
  /** Runs the workflow; load warnings open `report.warnings`, secrets are redacted. */
  run(options?: StartOptions): Promise<RunReport>;
  /** Compiles (or takes from the cache) one step's program. */
  compile(request: CompileRequest): Promise<CompileOutcome>;
  /**
   * Reads each compiled program back through a fresh cache (closing this run's): one line per program
   * a later run could not find (a disk or Redis write that failed), naming the step. Empty when all were saved.
   */
  unsavedPrograms(compiled: readonly CompiledKey[]): Promise<string[]>;
  /**
   * Writes the program of every top-level step with a signature that this run's cache holds (what the
   * run compiled or read) as program files under `dir`: `.hybrid-pipeline/programs/<stem>/<step>.json`
   * and `.prompt.md`, as `optimize --write` does, for the bot's promotion PR. Compiles nothing; returns
   * the files written (none without a cache).
   */
  writePrograms(dir: string): Promise<string[]>;
  /** Closes the cache tiers (Redis connections); idempotent. */
  close(): Promise<void>;
}

/** An opened run, or why the model could not be built (one line for the user). */
export type OpenRunOutcome =
  { kind: "ready"; run: ReadyRun } | { kind: "unavailable"; reason: string };

function buildModel(
  options: OpenRunOptions,
):
  | { kind: "ok"; lm: LanguageModel; provider: ProviderDecision }
  | { kind: "failed"; reason: string } {
  try {
    const provider = chooseProvider(options.provider ?? "auto", options.env, {
      ...(options.cassetteDir ? { cassetteDir: options.cassetteDir } : {}),
      whenUnusable: options.whenUnusable ?? "fail",
    });
    const lm = createLanguageModel({
      provider: provider.provider,
      env: options.env,
      ...(options.record ? { record: options.record } : {}),
      ...(options.cassetteDir ? { cassetteDir: options.cassetteDir } : {}),
      ...(options.warn ? { warn: options.warn } : {}),
    });
    return { kind: "ok", lm, provider };
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return { kind: "failed", reason: error.message };
  }
}

/**
 * The one place a run is opened, whichever face asks: chooses the provider and builds its model,
 * opens the cache tiers, gathers the secrets to redact and the load warnings to report. The engine
 * wraps the model per run (budget, call accounting, fault tally, LM-call cache). Rejects only on a bug.
 * @example
 * const opened = await openRun(loaded, { env: process.env, cache: { dir: ".hybrid-pipeline/cache", redisUrl: null } });
 * if (opened.kind === "ready") try { report = await opened.run.run({ seed: 1 }) } finally { await opened.run.close() }
 */
export async function openRun(
  loaded: Extract<LoadedPipeline, { ok: true }>,
  options: OpenRunOptions,
): Promise<OpenRunOutcome> {
  const model = buildModel(options);
  if (model.kind === "failed") return { kind: "unavailable", reason: model.reason };
  const { workflow, workdir } = loaded;
  const { lm, provider } = model;
  // providerSecrets covers the provider keys and GitHub/Actions tokens, whatever their shape.
  const secrets = [...new Set([...providerSecrets(options.env), ...(options.secrets ?? [])])];
  const warn = options.warn ?? (() => {});
  const cacheEnabled = workflow.dspy_config?.cache_enabled ?? true;
  const openCache = (tiers: { dir: string | null; redisUrl: string | null }, onWarning = warn) =>
    createTieredCache({
      cacheDir: tiers.dir,
      redisUrl: tiers.redisUrl,
      enabled: cacheEnabled,
      workdir,
      onWarning,
      ...(options.onLockWait ? { onLockWait: options.onLockWait } : {}),
    });
  const cache: TieredCache | null = options.cache ? await openCache(options.cache) : null;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await cache?.close();
  };
  const file = isAbsolute(loaded.file) ? loaded.file : resolve(workdir, loaded.file);
  const shownFile = relative(workdir, file) || loaded.file;
  const warnings = loaded.warnings.map((w) => formatProblem({ ...w, file: shownFile }));
  const ready: ReadyRun = {
    workflow,
    provider,
    simulated: lm.simulated,
    secrets,
    run: (start = {}) =>
      runWorkflow({
        file,
        workflow,
        lm,
        workdir,
        cache,
        secrets,
        warnings,
        ...(start.seed ? { seed: start.seed } : {}),
        context: createRunContext({
          seed: start.seed?.value ?? 0,
          logger: start.logger ?? { info() {}, debug() {}, warn: (m) => warn(m) },
          ...(start.now ? { now: start.now } : {}),
        }),
        ...runOptionsOf(start),
      }),
    compile: (request) =>
      compileStep({
        step: request.step,
        workflow,
        workdir,
        lm,
        model: stepModel(request.step, workflow),
        cache,
        now: Date.now,
        ...(request.optimizer ? { optimizer: request.optimizer } : {}),
        ...(request.params ? { params: request.params } : {}),
        ...(request.budgetCalls !== undefined ? { budgetCalls: request.budgetCalls } : {}),
        ...(request.allowCompile === false ? { allowCompile: false } : {}),
        secrets,
      }),
    unsavedPrograms: async (compiled) => {
      const tiers = options.cache;
      if (!cache || !tiers || !cacheEnabled) return [];
      const degraded = cache.report().degraded;
      await close();
      return unsavedPrograms(compiled, () => openCache(tiers, () => {}), degraded);
    },
    writePrograms: async (dir) => {
      if (!cache || closed) return [];
      const written: string[] = [];
      for (const step of workflow.steps) {
        if (!resolveSignature(step, workflow)) continue;
        const outcome = await compileStep({
          step: compileInputOf(step as RawStep, workflow),
          workflow,
          workdir,
          lm,
          model: stepModel(step, workflow),
          cache,
          now: Date.now,
          allowCompile: false,
        });
        const inputs = await programInputs(step, workflow, workdir);
        if (outcome.kind !== "compiled" || !inputs) continue;
        const path = programFilePath(dir, file, step.name);
        written.push(...(await writeProgramFiles(path, workflow.name, outcome.program, inputs)));
      }
      return written;
    },
    close,
  };
  return { kind: "ready", run: ready };
}

/** The run options among a start's, the context's seed, logger and clock left out. */
function runOptionsOf(start: StartOptions): Partial<RunOptions> {
  const keys = [
    "mode",
    "concurrency",
    "budgetUsd",
    "compile",
    "inputs",
    "onStep",
    "sleep",
    "signal",
  ] as const;
  return Object.fromEntries(
    keys.filter((k) => start[k] !== undefined).map((k) => [k, start[k]]),
  ) as Partial<RunOptions>;
}
