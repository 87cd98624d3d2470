/** A step's signature (string or object form, or `dspy_config.signatures.<step>`), resolved with defaults; the string form parsed. */
export { resolveSignature, parseSignatureString, type Signature } from "./signature.js";
/** Examples and the single-predictor program (DSPy's `Example`, `Predict`). */
export type { Example, Program, Fields } from "./example.js";
/** Training data (`dspy_config.training_data_path`): loaded examples or problems with file:line. */
export {
  loadTrainingData,
  formatDataProblem,
  type TrainingData,
  type TrainingDataProblem,
} from "./training-data.js";
/** Stable hash-based train/validation/test splits, cross-fitting folds, and a seeded shuffle. */
export {
  planEvidence,
  splitSettings,
  exampleKey,
  seededShuffle,
  type EvidencePlan,
  type SplitSettings,
  type SplitConfig,
  type TrainVal,
  type Fold,
} from "./split.js";
/** Compiling with held-out scoring (test split or cross-fitting): the program that ships and its evidence. */
export { compileWithHeldout, type HeldoutRecord } from "./heldout-evaluation.js";
/** Held-out examples the optimized variant failed and the traditional passed (≤ 5, answers redacted and cut). */
export type { HeldoutRegression } from "./regressions.js";
/** Metrics by `metric:` spec (exact_match, contains, token_f1, json_field_match, regex, json_valid, llm_judge, composite). */
export { createMetric, MetricSpecError, type Metric } from "./metrics/metric.js";
/** Call accounting by kind (teacher, proposal, evaluation, judge, ab) with a hard call budget. */
export {
  CallLedger,
  CallBudgetExhausted,
  isBudgetExhausted,
  type CallKind,
  type CallUsage,
} from "./call-ledger.js";
/** ChatAdapter-style rendering: system message, demo pairs, user message; marker and JSON parsing. */
export {
  systemMessage,
  userMessage,
  assistantMessage,
  chatMessages,
  parseMarkers,
  parseJsonAnswer,
  adaptAnswer,
} from "./chat-adapter.js";
/** Runs a program on one input (ChatAdapter request, parse, one JSON retry). */
export { predict, answerWithRetry, type Prediction, type PredictOptions } from "./predict.js";
/** The optimizer contract, defaults, and scoring of a program on examples. */
export {
  defaultOptimizerParams,
  scoreProgram,
  type OptimizerName,
  type OptimizerParams,
  type CompileContext,
} from "./optimizer.js";
/** Every optimizer by name (`labeled_few_shot`, `bootstrap_few_shot`, `bootstrap_few_shot_random_search`, `copro`, `mipro`). */
export { optimizers, isOptimizerName } from "./optimizers/registry.js";
/** MIPROv2's run sizes (DSPy 3.0 `auto`), its trial formula and DSPy's projected calls. */
export {
  AUTO_RUN_SETTINGS,
  planMipro,
  numTrialsFor,
  dspyEstimatedCalls,
  type MiproAuto,
  type MiproPlan,
} from "./optimizers/mipro-auto.js";
/** The categorical TPE sampler MIPROv2 searches with (Optuna's TPESampler, multivariate). */
export { TpeSampler, type TpeTrial, type TpeOptions } from "./optimizers/tpe.js";
/** What a search did (trials, best validation score, `under_budget`), filled in through `CompileContext.log`. */
export { createSearchLog, type SearchLog, type SearchTrial } from "./optimizers/search-log.js";
/** DSPy's proposer tips. */
export { TIPS } from "./optimizers/proposer-prompts.js";
/** DSPy's random-search candidate schedule. */
export { candidateSchedule } from "./optimizers/random-search.js";
/** Compiles one step through the tiered cache; `compiled` or `unavailable` with a fallback reason. */
export {
  compileStep,
  type CompileOutcome,
  type CompileStepOptions,
  type CompileStepInput,
} from "./compile-step.js";
/** What compiling a step would send with an empty cache (calls by kind, tokens, dollars), sending nothing. */
export { projectCompileStep, type CompileProjection } from "./project-compile-step.js";
/** Projected LM calls of an optimization and the helpers that add them up. */
export {
  emptyProjection,
  mergeProjection,
  addProgramCalls,
  type CallProjection,
} from "./call-projection.js";
/** DSPy save-format JSON of a compiled program (plus our metadata) and reading it back. */
export {
  toDspyJson,
  fromDspyJson,
  type CompiledProgram,
  type ProgramMeta,
} from "./program-json.js";
/** The traditional arm: the step's prompt with an example's inputs in place of run-time values. */
export { traditionalPrompt, traditionalRequest, traditionalOutputs } from "./traditional-arm.js";
/** Paired evaluation of traditional vs optimized on dev, bounded concurrency. */
export {
  evaluatePaired,
  type EvaluatePairedOptions,
  type PairedEvaluation,
  type ArmTally,
} from "./evaluate-paired.js";
/** Programs saved by DSPy 3.x (`module.save`): a step's predictor, fields matched by position. */
export {
  readDspyPredictor,
  dspyPredictorKeys,
  DspyStateError,
  type DspyPredictor,
} from "./dspy-state.js";
/** The input hash of a step's program (signature, training data, optimizer): what makes it stale. */
export {
  programInputs,
  changedParts,
  describeChanges,
  type ProgramInputs,
  type ProgramInputPart,
  type ProgramInputStep,
} from "./program-inputs.js";
/** Committed program files (`.hybrid-pipeline/programs/<stem>/<step>.json` and `.prompt.md`). */
export {
  PROGRAMS_DIR,
  programFilePath,
  programFileJson,
  readProgramFile,
  writeProgramFiles,
  type ProgramFile,
} from "./program-file.js";
/** The exact messages of a program rendered for review (`<step>.prompt.md`, `show-prompt`). */
export { programPromptMarkdown, renderMessages, inputTemplate } from "./program-prompt-md.js";
