/** A step's signature (string or object form, or `dspy_config.signatures.<step>`), resolved with defaults; the string form parsed. */
export { resolveSignature, parseSignatureString, type Signature } from "./signature.js";
/** Examples and the single-predictor program (DSPy's `Example`, `Predict`). */
export type { Example, Program, Fields } from "./example.js";
/** Training data (`dspy_config.training_data_path`): loaded examples or problems with file:line. */
export { loadTrainingData, formatDataProblem } from "./training-data.js";
/** Deterministic seeded train/dev split. */
export { splitTrainDev } from "./split.js";
/** Metrics by `metric:` spec (exact_match, contains, token_f1, json_field_match, regex, json_valid, llm_judge, composite). */
export { createMetric, MetricSpecError, type Metric } from "./metrics/metric.js";
/** Call accounting by kind (teacher, proposal, evaluation, judge, ab) with a hard call budget. */
export { CallLedger } from "./call-ledger.js";
/** ChatAdapter-style system message (instructions and field layout) of a signature. */
export { systemMessage } from "./chat-adapter.js";
/** Runs a program on one input (ChatAdapter request, parse, one JSON retry). */
export { predict } from "./predict.js";
/** The optimizer contract's defaults and names, and scoring of a program on examples. */
export {
  defaultOptimizerParams,
  scoreProgram,
  type OptimizerName,
  type OptimizerParams,
  type CompileContext,
} from "./optimizer.js";
/** Every optimizer by name (`labeled_few_shot`, `bootstrap_few_shot`, `bootstrap_few_shot_random_search`, `copro`, `mipro`). */
export { optimizers, isOptimizerName } from "./optimizers/registry.js";
/** DSPy's random-search candidate schedule. */
export { candidateSchedule } from "./optimizers/random-search.js";
/** Compiles one step through the tiered cache; `compiled` or `unavailable` with a fallback reason. */
export {
  compileStep,
  type CompileOutcome,
  type CompileStepOptions,
  type CompileStepInput,
} from "./compile-step.js";
/** DSPy save-format JSON of a compiled program (plus our metadata) and reading it back. */
export { toDspyJson, fromDspyJson, type CompiledProgram } from "./program-json.js";
/** The traditional arm: the step's prompt with an example's inputs in place of run-time values. */
export { traditionalPrompt, traditionalRequest, traditionalOutputs } from "./traditional-arm.js";
/** Paired evaluation of traditional vs optimized on dev, bounded concurrency. */
export {
  evaluatePaired,
  type EvaluatePairedOptions,
  type PairedEvaluation,
  type ArmTally,
} from "./evaluate-paired.js";
