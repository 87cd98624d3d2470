import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

/** The committed bundle, run as the runner runs it. */
export const distEntry = resolve(import.meta.dirname, "../../dist/index.js");

export interface DistRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Milliseconds from spawn to exit. */
  wallMs: number;
}

/** `INPUT_` + name upper-cased with spaces as `_`; hyphens are kept (`INPUT_GITHUB-TOKEN`), as the runner names them. */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [
      `INPUT_${name.replace(/ /g, "_").toUpperCase()}`,
      value,
    ]),
  );
}

/** The variables the runner sets for one job of `Codertocat/Hello-World` against the loopback GitHub API, and its inputs. */
export function jobEnvironment(job: {
  event: string;
  eventPath: string;
  runId: string;
  apiUrl: string;
  inputs: Record<string, string>;
}): Record<string, string> {
  return {
    GITHUB_EVENT_NAME: job.event,
    GITHUB_EVENT_PATH: job.eventPath,
    GITHUB_REPOSITORY: "Codertocat/Hello-World",
    GITHUB_API_URL: job.apiUrl,
    GITHUB_RUN_ID: job.runId,
    GITHUB_RUN_ATTEMPT: "1",
    ...inputEnv(job.inputs),
  };
}

/** Parses the `name<<delimiter` blocks `@actions/core` writes to `GITHUB_OUTPUT`. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
  return outputs;
}

/** Spawns `node dist/index.js` in `workspace` with a runner's environment plus `env`, and collects what it wrote. */
export async function runDist(
  workspace: string,
  runDir: string,
  env: Record<string, string>,
): Promise<DistRun> {
  const outputFile = join(runDir, "github_output");
  const summaryFile = join(runDir, "step_summary.md");
  await writeFile(outputFile, "");
  await writeFile(summaryFile, "");
  const started = Date.now();
  const child = spawn(process.execPath, [distEntry], {
    cwd: workspace,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_SERVER_URL: "https://github.com",
      RUNNER_OS: "Linux",
      RUNNER_TEMP: runDir,
      ...env,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const code = await new Promise<number | null>((done) => child.on("close", done));
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputFile, "utf8")),
    summary: await readFile(summaryFile, "utf8"),
    wallMs: Date.now() - started,
  };
}
