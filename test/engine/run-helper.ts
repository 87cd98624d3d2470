import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { formatProblem, loadWorkflowText } from "../../src/config/index.js";
import { runWorkflow, type RunOptions } from "../../src/engine/index.js";
import { scriptedModel, testContext, type Scripted } from "./scripted-model.js";

/** Loads `yaml` as a pipeline file in a fresh temp workdir holding `files`, runs it against a scripted model. */
export async function runYaml(
  yaml: string,
  script: Scripted[] = ["ok"],
  options: { files?: Record<string, string>; run?: Partial<RunOptions>; delayMs?: number } = {},
) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "engine-test-"));
  for (const [name, text] of Object.entries(options.files ?? {})) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  await writeFile(path.join(dir, "wf.yaml"), yaml);
  const loaded = loadWorkflowText(yaml, "wf.yaml", { workdir: dir });
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join("\n"));
  const model = scriptedModel(script, options.delayMs ? { delayMs: options.delayMs } : {});
  const { context, warnings } = testContext();
  const report = await runWorkflow({
    file: "wf.yaml",
    workflow: loaded.workflow,
    lm: model.lm,
    context,
    workdir: dir,
    sleep: async () => {},
    ...options.run,
  });
  return { report, requests: model.requests, maxInFlight: model.maxInFlight, dir, warnings };
}
