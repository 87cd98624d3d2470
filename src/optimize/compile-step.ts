import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { maxAgeFor, optimizationCacheKey, type TieredCache } from "../cache/index.js";
import type { MetricSpec, Workflow } from "../config/index.js";
import type { LanguageModel } from "../providers/index.js";
import type { FallbackReason } from "../report/index.js";
import { CallLedger, isBudgetExhausted, type CallUsage } from "./call-ledger.js";
import type { Program } from "./example.js";
import { createMetric } from "./metrics/metric.js";
import {
  defaultOptimizerParams,
  type CompileContext,
  type OptimizerName,
  type OptimizerParams,
} from "./optimizer.js";
import { optimizers } from "./optimizers/registry.js";
import { createSearchLog, type SearchLog } from "./optimizers/search-log.js";
import {
  fromDspyJson,
  toDspyJson,
  type CompiledProgram,
  type ProgramMeta,
} from "./program-json.js";
import { resolveSignature, signatureString, type SignatureStep } from "./signature.js";
import { compileWithHeldout } from "./heldout-evaluation.js";
import { planEvidence, splitSettings, type TrainVal } from "./split.js";
import { loadTrainingData, type TrainingDataProblem } from "./training-data.js";
import { inlinePromptFiles, type TraditionalStep } from "./traditional-arm.js";

/** The search's log in the metadata, when the optimizer searched (or could not afford to). */
function searchMeta(log: SearchLog): Pick<ProgramMeta, "search" | "under_budget"> {
  if (log.trials.length === 0 && log.minimum_calls === 0 && !log.under_budget) return {};
  return { search: log, ...(log.under_budget ? { under_budget: true as const } : {}) };
}

/** The part of a step compilation reads (the prompt, to score the traditional variant on dev too). */
export interface CompileStepInput extends SignatureStep, Partial<Omit<TraditionalStep, "name">> {
  metric?: MetricSpec;
}

/** What `compileStep` needs. */
export interface CompileStepOptions {
  step: CompileStepInput;
  workflow: Pick<Workflow, "name" | "dspy_config">;
  /** Directory `training_data_path` is relative to. */
  workdir: string;
  lm: LanguageModel;
  /** The task model id. */
  model: string;
  /** The optimization cache; null compiles every time. */
  cache?: TieredCache | null;
  /** Overrides `dspy_config.evaluation_mode`. */
  optimizer?: OptimizerName;
  /** Overrides `dspy_config.optimizer_options`. */
  params?: Partial<OptimizerParams>;
  /** Hard cap on LM calls sent by this compile. @default Infinity */
  budgetCalls?: number;
  /** Gives up after this long (reason `timeout`). @default no limit */
  timeoutMs?: number;
  /** Clock for `created_at`. */
  now: () => number;
  /** Scoring concurrency. @default 4 */
  concurrency?: number;
  /** false: only a program already in the cache is used; a miss is `dspy_unavailable`. @default true */
  allowCompile?: boolean;
  /** Values redacted from the model answers kept in the held-out record (its regressions). @default [] */
  secrets?: readonly string[];
}

/** A compiled program (with where it came from and the calls this invocation sent), or why there is none. */
export type CompileOutcome =
  | {
      kind: "compiled";
      program: CompiledProgram;
      tier: "memory" | "disk" | "distributed" | "computed";
      usage: CallUsage;
    }
  | {
      kind: "unavailable";
      reason: FallbackReason;
      detail: string;
      problems: TrainingDataProblem[];
      usage: CallUsage;
    };

/** `dir/step.{jsonl,json,yaml,yml}` for the candidates of one directory, else the list. */
function lookedFor(files: string[]): string {
  const stems = new Set(files.map((f) => f.replace(/\.[^./\\]+$/, "")));
  if (files.length < 2 || stems.size !== 1) return files.join(", ");
  return `${[...stems][0]}.{${files.map((f) => f.slice(f.lastIndexOf(".") + 1)).join(",")}}`;
}

class CompileFailure extends Error {
  override readonly name = "CompileFailure";
  constructor(
    readonly reason: FallbackReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Compiles one step: resolves its signature and training data, splits train/dev with the seed, scores
 * the zero-shot program on dev (baseline), runs the optimizer with the budget that scoring leaves, and
 * scores the result on dev. Served from the tiered cache when every input is unchanged and the entry is
 * younger than `optimization_frequency`; an explicit `cache_enabled: false` bypasses the cache.
 * Never throws for bad data or provider failures: they are the `unavailable` outcome.
 */
export async function compileStep(options: CompileStepOptions): Promise<CompileOutcome> {
  const ledger = new CallLedger(options.budgetCalls ?? Number.POSITIVE_INFINITY);
  const unavailable = (
    reason: FallbackReason,
    detail: string,
    problems: TrainingDataProblem[] = [],
  ): CompileOutcome => ({ kind: "unavailable", reason, detail, problems, usage: ledger.usage });
  const dspy = options.workflow.dspy_config ?? {};
  const signature = resolveSignature(options.step, options.workflow);
  if (!signature)
    return unavailable("dspy_unavailable", `step '${options.step.name}' has no signature`);
  // The step as a run sends it: instruction files read, so an edited prompt file is a new program.
  const step = await inlinePromptFiles(options.step, signature, (file) =>
    readFile(isAbsolute(file) ? file : resolve(options.workdir, file), "utf8").catch(
      () => undefined,
    ),
  );
  const dataPath = dspy.training_data_path ?? "training_data";
  const data = await loadTrainingData({
    workdir: options.workdir,
    path: dataPath,
    step: options.step.name,
    signature,
  });
  if (data.kind === "missing")
    return unavailable(
      "dspy_unavailable",
      `no training data for step '${options.step.name}' (looked for ${lookedFor(data.looked.map((file) => relative(options.workdir, file) || file))})`,
    );
  if (data.kind === "invalid")
    return unavailable(
      "optimization_failed",
      `${data.problems.length} problem(s) in the training data of step '${options.step.name}'`,
      data.problems,
    );
  if (data.examples.length < 2)
    return unavailable(
      "dspy_unavailable",
      `step '${options.step.name}' has ${data.examples.length} training example(s); at least 2 are needed`,
    );

  const optimizerName = options.optimizer ?? dspy.evaluation_mode ?? "bootstrap_few_shot";
  const params: OptimizerParams = {
    ...defaultOptimizerParams,
    ...dspy.optimizer_options,
    ...options.params,
  };
  const metric = createMetric(options.step.metric, {
    lm: options.lm,
    ledger,
    defaultModel: options.model,
  });
  const settings = splitSettings(dspy);
  const judgeModel =
    typeof options.step.metric === "object" && options.step.metric.model
      ? [options.step.metric.model]
      : [];
  const key = optimizationCacheKey({
    signature: signatureString(signature),
    instructions: signature.instructions,
    optimizer: optimizerName,
    optimizerParams: {
      ...params,
      signature_fields: { inputs: signature.inputs, outputs: signature.outputs },
    },
    seed: params.seed,
    trainsetHash: data.hash,
    metric: options.step.metric ?? "token_f1",
    models: [options.model, ...judgeModel, `provider:${options.lm.provider}`],
    // Version 2 of the evidence: three stable splits or cross-fitting (older entries held dev scores).
    evidence: { version: 2, ...settings },
    traditional:
      step.prompt === undefined
        ? null
        : { prompt: step.prompt, claude_options: step.claude_options ?? null },
  });

  const compute = async (): Promise<Record<string, unknown>> => {
    const plan = planEvidence(data.examples, settings);
    const heldoutN =
      plan.kind === "test"
        ? plan.test.length
        : plan.kind === "cross_fit"
          ? data.examples.length
          : 0;
    const start: Program = { instructions: signature.instructions, signature, demos: [] };
    // Held-out scoring takes 2 calls per example (one per arm; a JSON retry adds one); the optimizer gets the rest.
    const optimizerLedger = ledger.child(
      Math.max(0, ledger.remaining - 2 * heldoutN * settings.repeats),
    );
    const ctx: CompileContext = {
      lm: options.lm,
      ledger,
      metric,
      model: options.model,
      params,
      concurrency: options.concurrency ?? 4,
      step: options.step.name,
    };
    // The program that ships is compiled first (compileWithHeldout), so its search log is the one kept.
    let log: SearchLog | undefined;
    const compile = (data: TrainVal) => {
      const thisLog = createSearchLog();
      log ??= thisLog;
      return optimizers[optimizerName].compile(start, data.trainset, {
        ...ctx,
        ledger: optimizerLedger,
        log: thisLog,
        ...(data.valset.length > 0 ? { valset: data.valset } : {}),
      });
    };
    const { program, heldout } = await compileWithHeldout(
      plan,
      data.examples.length,
      settings.minLabelled,
      {
        ctx,
        ledger,
        step,
        baseline: start,
        compile,
        repeats: settings.repeats,
        temperature: settings.temperature,
        ...(options.secrets ? { secrets: options.secrets } : {}),
      },
    );
    const result: CompiledProgram = {
      program,
      meta: {
        step: options.step.name,
        signature: signatureString(signature),
        optimizer: optimizerName,
        params,
        model: options.model,
        metric: metric.name,
        n_train: plan.ship.trainset.length,
        n_validation: plan.ship.valset.length,
        heldout,
        cache_key: key,
        created_at: new Date(options.now()).toISOString(),
        lm_calls: structuredClone(ledger.usage),
        simulated: options.lm.simulated,
        ...(log ? searchMeta(log) : {}),
      },
    };
    return toDspyJson(result);
  };

  const notCompiledNow = (): never => {
    throw new CompileFailure(
      "dspy_unavailable",
      `no fresh compiled program of step '${options.step.name}' in the cache, and compiling is off for this run`,
    );
  };
  const run = async (): Promise<CompileOutcome> => {
    const cacheEnabled = dspy.cache_enabled ?? true;
    if (options.allowCompile === false && (!options.cache || !cacheEnabled)) notCompiledNow();
    if (!options.cache || !cacheEnabled) {
      const program = fromDspyJson(await compute())!;
      return { kind: "compiled", program, tier: "computed", usage: ledger.usage };
    }
    const maxAgeMs = maxAgeFor(dspy.optimization_frequency ?? "weekly");
    const tags = ["optimization", `workflow:${options.workflow.name}`, `step:${options.step.name}`];
    const { value, tier } = await options.cache.getOrCompute(
      key,
      tags,
      options.allowCompile === false ? notCompiledNow : compute,
      { maxAgeMs, validate: (v) => (fromDspyJson(v) ? (v as Record<string, unknown>) : undefined) },
    );
    return { kind: "compiled", program: fromDspyJson(value)!, tier, usage: ledger.usage };
  };

  try {
    if (options.timeoutMs === undefined) return await run();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CompileFailure(
              "timeout",
              `optimization of step '${options.step.name}' took longer than ${options.timeoutMs} ms`,
            ),
          ),
        options.timeoutMs,
      );
    });
    try {
      return await Promise.race([run(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    if (error instanceof CompileFailure) return unavailable(error.reason, error.message);
    if (isBudgetExhausted(error))
      return unavailable(
        "optimization_failed",
        `the LM-call budget ran out while scoring on dev (${ledger.usage.total_calls} calls sent); raise --budget-calls`,
      );
    return unavailable(
      "optimization_failed",
      `optimization of step '${options.step.name}' failed: ${(error as Error).message}`,
    );
  }
}
