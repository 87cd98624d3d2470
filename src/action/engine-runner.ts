import { randomInt } from "node:crypto";
import { isAbsolute, join } from "node:path";
import { createTieredCache } from "../cache/index.js";
import { loadWorkflowFile } from "../config/index.js";
import { createRunContext, projectRun, resolveRunSeed, runWorkflow } from "../engine/index.js";
import { createLanguageModel } from "../providers/index.js";
import type { LoadedPipeline, PipelineRunner, RunRequest } from "./action-deps.js";

/** The engine, config, providers and cache layers as the Action's {@link PipelineRunner}. */
export function createEngineRunner(workspace: string): PipelineRunner {
  return {
    async load(file): Promise<LoadedPipeline> {
      const loaded = await loadWorkflowFile(file, { workdir: workspace });
      if (!loaded.ok)
        return { ok: false, file, problems: loaded.problems, warnings: loaded.warnings };
      const workflow = loaded.workflow;
      const trainingData = workflow.dspy_config?.training_data_path;
      const dependencies = trainingData
        ? [isAbsolute(trainingData) ? trainingData : join(workspace, trainingData)]
        : [];
      return {
        ok: true,
        file,
        dependencies,
        warnings: loaded.warnings,
        project: (mode) => projectRun({ workflow, workdir: workspace, ...(mode ? { mode } : {}) }),
        async run(request: RunRequest) {
          const logger = { info: request.onLog, warn: request.onLog, debug: () => {} };
          const lm = createLanguageModel({
            provider: request.provider,
            env: request.env,
            cassetteDir: request.cassetteDir,
          });
          const cache = await createTieredCache({
            cacheDir: request.cacheDir,
            redisUrl: request.redisUrl,
            enabled: workflow.dspy_config?.cache_enabled ?? true,
            workdir: workspace,
            onWarning: request.onLog,
          });
          const seed = resolveRunSeed({
            ...(request.env.GITHUB_RUN_ID ? { runId: request.env.GITHUB_RUN_ID } : {}),
            ...(request.env.GITHUB_RUN_ATTEMPT
              ? { runAttempt: request.env.GITHUB_RUN_ATTEMPT }
              : {}),
            draw: () => randomInt(0x100000000) / 0x100000000,
          });
          try {
            return await runWorkflow({
              file,
              workflow,
              lm,
              seed,
              context: createRunContext({ seed: seed.value, logger }),
              workdir: workspace,
              ...(request.mode ? { mode: request.mode } : {}),
              concurrency: request.concurrency,
              budgetUsd: request.budgetUsd,
              compile: request.compile,
              cache,
              warnings: loaded.warnings.map((w) => `${w.file}:${w.line}:${w.col}: ${w.message}`),
              onStep: (event) => {
                if (event.kind === "started") request.onStepStarted(event.name);
              },
            });
          } finally {
            await cache.close();
          }
        },
      };
    },
  };
}
