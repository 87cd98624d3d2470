import type { RunProjection } from "../engine/index.js";
import type { Problem } from "../config/index.js";
import type { ExecutionMode, RunReport } from "../report/index.js";
import type { AnnotationSink } from "./annotations.js";
import type { CacheApi } from "./cache-directory.js";
import type { ProviderName } from "./inputs.js";
import type { CommentsApi } from "./sticky-comment.js";

/** The slice of `@actions/core` the Action uses. */
export interface ActionCore extends AnnotationSink {
  getInput(name: string): string;
  setSecret(secret: string): void;
  info(message: string): void;
  notice(message: string): void;
  startGroup(name: string): void;
  endGroup(): void;
  setOutput(name: string, value: string): void;
  setFailed(message: string): void;
}

/** How one pipeline file is run, once loaded. */
export interface RunRequest {
  mode: ExecutionMode | null;
  provider: ProviderName;
  /** Provider keys and base URL, as the providers layer reads them from the environment. */
  env: NodeJS.ProcessEnv;
  cassetteDir: string;
  concurrency: number;
  budgetUsd: number | null;
  /** false: only programs already in the cache are used; none is compiled during the run. */
  compile: boolean;
  /** Disk tier directory, or null to run without it (cache service unavailable). */
  cacheDir: string | null;
  /** Write the run's programs as program files here (a default-branch run), or null. */
  programsDir: string | null;
  redisUrl: string | null;
  /** Values redacted from the report (keys, the GitHub token, a Redis password). */
  secrets: readonly string[];
  onLog(message: string): void;
  /** Called as each step starts. */
  onStepStarted(name: string): void;
}

export type LoadedPipeline =
  | {
      ok: true;
      file: string;
      /** Files the optimization depends on besides the pipeline (training data), for the cache key. */
      dependencies: string[];
      warnings: Problem[];
      run(request: RunRequest): Promise<RunReport>;
      /** What the run's compile and evaluation work is projected to cost with an empty cache; sends nothing. */
      project?(mode: ExecutionMode | null, compile: boolean): Promise<RunProjection>;
    }
  | { ok: false; file: string; problems: Problem[]; warnings: Problem[] };

/** The engine as the Action needs it; `engine-runner.ts` builds it from the layers below. */
export interface PipelineRunner {
  /** Loads and validates `file` (absolute, or relative to the workspace), collecting every problem. */
  load(file: string): Promise<LoadedPipeline>;
}

/** The webhook event that started the job (`GITHUB_EVENT_NAME`, the JSON at `GITHUB_EVENT_PATH`). */
export interface ActionEvent {
  name: string;
  payload: Record<string, unknown>;
}

/** Everything `runAction` touches outside itself, injected so tests can run it in-process. */
export interface ActionDeps {
  core: ActionCore;
  writeSummary(markdown: string): Promise<void>;
  writeFile(path: string, text: string): Promise<void>;
  readFile(path: string): Promise<string>;
  env: NodeJS.ProcessEnv;
  /** `GITHUB_WORKSPACE`: pipeline globs, cache and report paths are relative to it. */
  workspace: string;
  event: ActionEvent;
  cacheApi: CacheApi;
  github(token: string): Promise<CommentsApi>;
  runner: PipelineRunner;
  /** Milliseconds since the process started (for the cold-start log line). */
  uptimeMs(): number;
  /** CPU milliseconds (user + system) this process used so far; a figure less sensitive to machine load. */
  cpuMs?(): number;
}
