import { randomInt } from "node:crypto";
import { loadPipeline, openRun, projectRun, resolveRunSeed } from "../engine/index.js";
import type { LoadedPipeline, PipelineRunner, RunRequest } from "./action-deps.js";

/** The engine's `loadPipeline` and `openRun` as the Action's {@link PipelineRunner}. */
export function createEngineRunner(workspace: string): PipelineRunner {
  return {
    async load(file): Promise<LoadedPipeline> {
      const loaded = await loadPipeline(file, { workdir: workspace });
      if (!loaded.ok) return loaded;
      const { workflow } = loaded;
      return {
        ok: true,
        file,
        dependencies: loaded.dependencies,
        warnings: loaded.warnings,
        project: (mode) => projectRun({ workflow, workdir: workspace, ...(mode ? { mode } : {}) }),
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
          // Each CI run (and attempt) draws its own online allocation; the report records the seed.
          const seed = resolveRunSeed({
            ...(request.env.GITHUB_RUN_ID ? { runId: request.env.GITHUB_RUN_ID } : {}),
            ...(request.env.GITHUB_RUN_ATTEMPT
              ? { runAttempt: request.env.GITHUB_RUN_ATTEMPT }
              : {}),
            draw: () => randomInt(0x100000000) / 0x100000000,
          });
          try {
            const report = await opened.run.run({
              logger: { info: request.onLog, warn: request.onLog, debug: () => {} },
              seed,
              ...(request.mode ? { mode: request.mode } : {}),
              concurrency: request.concurrency,
              budgetUsd: request.budgetUsd,
              compile: request.compile,
              onStep: (event) => {
                if (event.kind === "started") request.onStepStarted(event.name);
              },
            });
            if (request.programsDir) {
              const written = await opened.run.writePrograms(request.programsDir);
              request.onLog(`program files for the promotion PR: ${written.length} written`);
            }
            return report;
          } finally {
            await opened.run.close();
          }
        },
      };
    },
  };
}
