import { readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import * as core from "@actions/core";
import { redact } from "../report/index.js";
import { actionsCacheApi } from "./actions-cache-api.js";
import type { ActionEvent } from "./action-deps.js";
import { createEngineRunner } from "./engine-runner.js";
import { createGithubClient } from "./github-client.js";
import { runAction } from "./run-action.js";

function readEvent(env: NodeJS.ProcessEnv): ActionEvent {
  const name = env.GITHUB_EVENT_NAME ?? "";
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return { name, payload: {} };
  try {
    const payload: unknown = JSON.parse(readFileSync(path, "utf8"));
    return {
      name,
      payload:
        typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>) : {},
    };
  } catch {
    return { name, payload: {} };
  }
}

const env = process.env;
const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
try {
  await runAction({
    core,
    writeSummary: async (markdown) => {
      if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown, true).write();
      else core.info(markdown);
    },
    writeFile: async (path, text) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text, "utf8");
    },
    readFile: (path) => readFile(path, "utf8"),
    env,
    workspace,
    event: readEvent(env),
    cacheApi: actionsCacheApi(),
    github: (token) => createGithubClient(token, (message) => core.warning(message)),
    runner: createEngineRunner(workspace),
    uptimeMs: () => process.uptime() * 1000,
    cpuMs: () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    },
  });
} catch (error) {
  // Secrets were masked by runAction; redact() also catches credential-shaped tokens in a stray error message.
  core.setFailed(
    redact(
      `hybrid-pipeline failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    ),
  );
}
