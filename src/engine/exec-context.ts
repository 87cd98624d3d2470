import type { NestedStep, Step, StepType, Workflow } from "../config/index.js";
import type { LanguageModel } from "../providers/index.js";
import type {
  AbBlock,
  ProgramProvenance,
  OnlineEvidence,
  Regression,
  RouteDecision,
  Route,
  StepFingerprint,
  StepReport,
} from "../report/index.js";
import type { RunContext } from "./run-context.js";
import type { ExecState } from "./step-results.js";
import type { TemplateScope } from "./template.js";

/** A step as the executors read it: name, type and its (interpolated) fields. */
export type RawStep = NestedStep;

/** A failure of one step that the run records (status failed, message redacted) before stopping. */
export class StepFailure extends Error {
  override readonly name = "StepFailure";
  constructor(
    message: string,
    /** Provider error code (`rate_limited`, `budget_exhausted`, ...) or an engine code. */
    readonly code: string = "step_failed",
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Usage of one top-level step, summed over its LM calls (and those of its nested steps). */
export interface UsageMeter {
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  /** null once any call's model was not priced. */
  costUsd: number | null;
  callsSent: number;
  /** Calls the LM-call cache served (their latency and cost are the original call's). */
  callsCached: number;
}

/** What running one LLM step produced: the result map stored under the step's name, and how it was routed. */
export interface LlmStepOutcome {
  result: Record<string, unknown>;
  route: Route;
  decision: RouteDecision;
  fallback: StepReport["fallback"];
  quality: number | null;
  ab?: AbBlock;
  /** The step's program: its source and whether it is stale (modes that load one). */
  program?: ProgramProvenance;
  /** How the online A/B was scored and what it counted (A/B route only). */
  online?: OnlineEvidence;
  /** Hashes of the step's prompt, signature, training data and program (for the base-branch comparison). */
  fingerprint?: StepFingerprint;
  /** Held-out examples the optimized variant failed and the traditional passed (evaluation route). */
  regressions?: Regression[];
}

/** Step types that send one prompt (parallel_claude and claude_batch send each task in a `claude` step). */
export type PromptStepType =
  | "claude"
  | "gemini"
  | "gemini_instructor"
  | "claude_smart"
  | "claude_session"
  | "claude_extract"
  | "claude_robust";
/** A step that sends one prompt, with its type's fields. */
export type PromptStep = Extract<Step, { type: PromptStepType }>;

const promptStepTypes: ReadonlySet<string> = new Set<PromptStepType>([
  "claude",
  "gemini",
  "gemini_instructor",
  "claude_smart",
  "claude_session",
  "claude_extract",
  "claude_robust",
]);

/**
 * The step with its type's fields, which the validator checked when the file loaded. The LLM seam hands
 * the routes loose steps; this is the one place they become typed again.
 */
export function asPromptStep(step: RawStep): PromptStep {
  if (isPromptStep(step)) return step;
  throw new StepFailure(
    `step '${step.name}': a ${step.type} step does not send one prompt`,
    "not_a_prompt_step",
  );
}

function isPromptStep(step: RawStep): step is PromptStep {
  return promptStepTypes.has(step.type);
}

/**
 * The seam the hybrid and optimized routes replace: how an LLM step's prompt becomes an `LmRequest`
 * and a result. The default, `executeLlmStep`, runs the step's own prompt (traditional route).
 */
export type LlmStepRunner = (step: PromptStep, ctx: ExecContext) => Promise<LlmStepOutcome>;

/** Runs a list of (nested) steps against a state; used by loops and nested pipelines. */
export type StepsRunner = (
  steps: readonly RawStep[],
  state: ExecState,
  ctx: ExecContext,
) => Promise<void>;

/** Everything a step executor may use. One per (nested) pipeline; `state` changes per loop iteration. */
export interface ExecContext {
  workflow: Workflow;
  /** Absolute path of the pipeline file being run (nested pipelines resolve relative to it). */
  file: string;
  state: ExecState;
  lm: LanguageModel;
  run: RunContext;
  workdir: string;
  outputDir: string;
  workspaceDir: string;
  concurrency: number;
  /** Files of the enclosing pipelines, outermost first (recursion guard). */
  stack: readonly string[];
  llmStep: LlmStepRunner;
  runSteps: StepsRunner;
  /** The same context over another state (a loop iteration), or another pipeline (`pipeline` steps). */
  withState(
    state: ExecState,
    pipeline?: { workflow: Workflow; file: string; stack: readonly string[] },
  ): ExecContext;
  templates: TemplateScope;
  /** Records a warning once per `key` per run (report and stderr). */
  warnOnce(key: string, message: string): void;
  sleep(ms: number): Promise<void>;
  signal?: AbortSignal;
  /** The parents of the steps this context runs (`loop_name`, `loop/inner`); undefined at the top level. */
  scope?: string;
  /** Where nested LLM-step executions are recorded for the report; absent: not recorded. */
  nested?: NestedRecorder;
}

/** A step of one `type`, with the fields the schema gives that type (validated when the file loaded). */
export type StepOf<T extends StepType> = Extract<Step, { type: T }>;

/**
 * A step executor: returns the step's result (stored under its name) or throws {@link StepFailure}.
 * `StepExecutor<"set_variable">` reads that type's fields, typed; without a type it reads any step.
 */
export type StepExecutor<T extends StepType = never> = (
  step: [T] extends [never] ? RawStep : StepOf<T>,
  ctx: ExecContext,
) => Promise<StepResultValue>;

/** A step's result, plus routing details when an LLM step produced it. */
export interface StepResultValue {
  result: unknown;
  llm?: LlmStepOutcome;
}

/** One execution of an LLM step inside a loop, a nested pipeline or a `parallel_claude` step. */
export interface NestedRun {
  /** Qualified with its parents: `loop_name/step_name`, `fan_out/task_id`. */
  name: string;
  type: string;
  status: "success" | "failed";
  llm?: LlmStepOutcome;
  meter: UsageMeter;
  error?: string;
}

/** Collects nested LLM-step executions during a run, handed out per top-level step. */
export interface NestedRecorder {
  /** Fixes the report order of `name` before its runs finish (parallel tasks finish in any order). */
  reserve(name: string): void;
  record(run: NestedRun): void;
  /** The report entries of runs under `parent/` (one per qualified name, in first-run order), forgotten after. */
  take(parent: string, secrets: readonly string[]): StepReport[];
}
