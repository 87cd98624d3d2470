import { loadPipeline, openRun } from "../engine/index.js";
import type { LoadedPipeline, PipelineRunner, RunRequest } from "./action-deps.js";

/** The engine's `loadPipeline` and `openRun` as the Action's {@link PipelineRunner}. */
export function createEngineRunner(workspace: string): PipelineRunner {
  return {
    async load(file): Promise<LoadedPipeline> {
      const loaded = await loadPipeline(file, { workdir: workspace });
      if (!loaded.ok) return loaded;
      return {
        ok: true,
        file,
        dependencies: loaded.dependencies,
        warnings: loaded.warnings,
        async run(request: RunRequest) {
          const opened = await openRun(loaded, {
            env: request.env,
            provider: request.provider,
            whenUnusable: "fall_back",
            cassetteDir: request.cassetteDir,
            cache: { dir: request.cacheDir, redisUrl: request.redisUrl },
            secrets: request.secrets,
            warn: request.onLog,
          });
          // The provider was chosen with fall_back before the run: only a bug leaves it unavailable.
          if (opened.kind === "unavailable") throw new Error(opened.reason);
          try {
            return await opened.run.run({
              logger: { info: request.onLog, warn: request.onLog, debug: () => {} },
              ...(request.mode ? { mode: request.mode } : {}),
              concurrency: request.concurrency,
              budgetUsd: request.budgetUsd,
              compile: request.compile,
              onStep: (event) => {
                if (event.kind === "started") request.onStepStarted(event.name);
              },
            });
          } finally {
            await opened.run.close();
          }
        },
      };
    },
  };
}
