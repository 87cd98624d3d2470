import type {
  StepPerformance,
  LmCallCounts,
  ModeSource,
  ExecutionMode,
  RunReport,
  StepReport,
  StepStatus,
  CacheReport,
  SeedSource,
} from "../report/index.js";
import { applyFdr, emptyCacheReport, redact, redactDeep } from "../report/index.js";
import type { LlmStepOutcome, UsageMeter } from "./exec-context.js";
import { formatResult } from "./prompt-builder.js";
import { servedFromCache } from "./usage-meter.js";

/** Characters of output kept in `output_preview`. */
const PREVIEW_CHARS = 280;

/** What the executor loop knows about one top-level step once it is over (or never started). */
export interface StepRecord {
  name: string;
  type: string;
  status: StepStatus;
  error: string | null;
  meter: UsageMeter;
  result?: unknown;
  llm?: LlmStepOutcome;
  skipReason?: string;
  /** Entries of the LLM steps it ran inside (loop bodies, nested pipelines, parallel tasks): `name/step`. */
  nested?: StepReport[];
}

/** Step types that run other steps or tasks: their LLM work is reported in `name/…` entries. */
const containers = new Set([
  "for_loop",
  "while_loop",
  "pipeline",
  "parallel_claude",
  "claude_batch",
]);

/** Why a step without an LLM outcome of its own ran as it did. */
function ranAsWritten(record: StepRecord): string {
  if (!containers.has(record.type)) return "not an LLM step: it runs as written";
  return record.nested && record.nested.length > 0
    ? `runs the steps inside it, reported as ${record.nested.map((n) => n.name).join(", ")}`
    : "runs the steps inside it; none called a model";
}

/** Turns a step record into its report entry: route, decision, metrics summed over the step's LM calls. */
export function stepReport(record: StepRecord, secrets: readonly string[] = []): StepReport {
  const skipped = record.status === "skipped" || record.status === "not_run";
  const route = record.llm?.route ?? (skipped ? "skipped" : "traditional");
  const reason =
    record.llm?.decision.reason ??
    (record.status === "skipped"
      ? (record.skipReason ?? "condition not met")
      : record.status === "not_run"
        ? (record.skipReason ?? "not run: an earlier step failed")
        : ranAsWritten(record));
  const report: StepReport = {
    name: record.name,
    type: record.type,
    route,
    decision: record.llm?.decision ?? { route, reason, estimated_benefit: null },
    status: record.status === "success" && record.llm?.fallback ? "fallback" : record.status,
    fallback: record.llm?.fallback ?? null,
    error: record.error === null ? null : redact(record.error, secrets),
    metrics: {
      latency_ms: Math.round(record.meter.latencyMs),
      input_tokens: record.meter.inputTokens,
      output_tokens: record.meter.outputTokens,
      cost_usd: record.meter.costUsd,
      quality: record.llm?.quality ?? null,
      ...(servedFromCache(record.meter) ? { cached: true } : {}),
    },
  };
  if (record.llm?.ab) report.ab = record.llm.ab;
  if (record.llm?.program) report.program = record.llm.program;
  if (record.llm?.online) report.online = record.llm.online;
  if (record.llm?.fingerprint) report.fingerprint = record.llm.fingerprint;
  if (record.llm?.regressions) report.regressions = redactDeep(record.llm.regressions, secrets);
  if (record.status === "success" && record.result !== undefined)
    report.output_preview = redact(formatResult(record.result), secrets).slice(0, PREVIEW_CHARS);
  return report;
}

/** Everything the run-level fields of the report are made of. */
export interface RunSummary {
  workflow: string;
  file: string;
  mode: ExecutionMode;
  modeSource: ModeSource;
  provider: string;
  simulated: boolean;
  /** The online allocation's seed and where it came from. */
  seed: { value: number; source: SeedSource };
  version: string;
  startedAt: number;
  finishedAt: number;
  steps: StepRecord[];
  cache: CacheReport | null;
  lmCalls: LmCallCounts;
  /** Per step and route, every LLM-step execution summarised (empty in traditional mode). */
  performance: StepPerformance[];
  /** Every failed provider attempt by kind, retried ones included. */
  providerFaults: Record<string, number>;
  /** Faults per arm, by error code. */
  errors: { traditional: Record<string, number>; optimized: Record<string, number> };
  budget: { limitUsd: number | null; spentUsd: number; exhausted: boolean };
  warnings: string[];
  continueOnError: boolean;
  /** The run was stopped (a signal) before its end: the report is partial. @default false */
  interrupted?: boolean;
  /** Values `redact` replaces besides credential-shaped tokens. */
  secrets: readonly string[];
}

/** Assembles the {@link RunReport}: status `failed` when a step failed (`partial` when the run went on past it). */
export function buildRunReport(run: RunSummary): RunReport {
  const failed = run.steps.some((s) => s.status === "failed");
  const ranOn = run.continueOnError && run.steps.some((s) => s.status === "success");
  const status = run.interrupted
    ? "partial"
    : run.budget.exhausted && !failed
      ? "partial"
      : !failed
        ? "success"
        : ranOn
          ? "partial"
          : "failed";
  // Verdicts of several steps control the false discovery rate together (BH), as merges redo it.
  const { steps, fdr } = applyFdr(
    run.steps.flatMap((s) => [stepReport(s, run.secrets), ...(s.nested ?? [])]),
  );
  return {
    schema_version: 2,
    tool: { name: "hybrid-pipeline", version: run.version },
    workflow: run.workflow,
    file: run.file,
    mode: run.mode,
    mode_source: run.modeSource,
    provider: run.provider,
    simulated: run.simulated,
    seed: run.seed.value,
    seed_source: run.seed.source,
    status,
    started_at: new Date(run.startedAt).toISOString(),
    duration_ms: Math.max(0, Math.round(run.finishedAt - run.startedAt)),
    steps,
    cache: run.cache ?? emptyCacheReport(),
    lm_calls: { ...run.lmCalls },
    errors: { traditional: { ...run.errors.traditional }, optimized: { ...run.errors.optimized } },
    provider_faults: { ...run.providerFaults },
    ...(run.performance.length > 0 ? { performance: run.performance } : {}),
    budget: {
      limit_usd: run.budget.limitUsd,
      spent_usd: run.budget.spentUsd,
      exhausted: run.budget.exhausted,
    },
    warnings: run.warnings.map((w) => redact(w, run.secrets)),
    ...(fdr.m > 0 ? { fdr } : {}),
  };
}
