import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { formatProblem, loadWorkflowText } from "../../src/config/index.js";
import { runWorkflow, type RunOptions } from "../../src/engine/index.js";
import type { LanguageModel } from "../../src/providers/index.js";
import { testContext } from "../engine/scripted-model.js";

/** Loads `yaml` as a pipeline file in a fresh temp workdir and runs it with `lm` (a real SDK adapter). */
export async function runPipeline(yaml: string, lm: LanguageModel, run: Partial<RunOptions> = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "providers-run-"));
  await writeFile(path.join(dir, "wf.yaml"), yaml);
  const loaded = loadWorkflowText(yaml, "wf.yaml", { workdir: dir });
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join("\n"));
  const { context } = testContext();
  return runWorkflow({
    file: "wf.yaml",
    workflow: loaded.workflow,
    lm,
    context,
    workdir: dir,
    ...run,
  });
}

/** An OpenAI chat completion answering `text`. */
export const chatCompletion = (text: string | null, model = "gpt-4o-mini") => ({
  status: 200,
  body: {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  },
});
