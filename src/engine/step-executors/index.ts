import type { StepType } from "../../config/index.js";
import type { StepExecutor } from "../exec-context.js";
import { runDataTransform } from "./data-transform.js";
import { runFileOps } from "./file-ops.js";
import { runLlmStep } from "./llm-step.js";
import { runForLoop, runWhileLoop } from "./loops.js";
import { runNestedPipeline } from "./nested-pipeline.js";
import { runClaudeBatch, runParallelClaude } from "./parallel-claude.js";
import { runSetVariable, runTestEcho } from "./set-variable.js";

/** One executor per step type pipeline_ex knows (and its test-only `test_echo`). */
export const stepExecutors: { [T in StepType]: StepExecutor<T> | StepExecutor } = {
  claude: runLlmStep,
  claude_smart: runLlmStep,
  claude_extract: runLlmStep,
  claude_session: runLlmStep,
  claude_robust: runLlmStep,
  gemini: runLlmStep,
  gemini_instructor: runLlmStep,
  claude_batch: runClaudeBatch,
  parallel_claude: runParallelClaude,
  set_variable: runSetVariable,
  for_loop: runForLoop,
  while_loop: runWhileLoop,
  data_transform: runDataTransform,
  file_ops: runFileOps,
  pipeline: runNestedPipeline,
  test_echo: runTestEcho,
};

export { executeLlmStep, llmResult, recordSessionTurn } from "./llm-step.js";
