import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { cp, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunReport } from "../../src/report/index.js";

const projectRoot = path.resolve(import.meta.dirname, "../..");
export const BIN = path.join(projectRoot, "bin/hybrid-pipeline.js");
export const ANALYZER = "examples/hybrid-code-analyzer/hybrid_code_analyzer.yaml";

/** The unprivileged user a root test runs the CLI as, so that file permissions bind it. */
const NOBODY = 65534;
export const isRoot = process.getuid?.() === 0;

/** A fresh directory holding a copy of the examples, as a user's checkout would. */
export async function exampleDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "hp-cache-cli-"));
  await cp(path.join(projectRoot, "examples"), path.join(dir, "examples"), { recursive: true });
  return dir;
}

/** Hands `dir` to the unprivileged user (when the tests run as root). */
export function giveToNobody(dir: string): void {
  if (isRoot) execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, dir]);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Starts `bin/hybrid-pipeline.js` as a user would (own process, own env). */
export function startCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; asNobody?: boolean },
): { child: ChildProcess; done: Promise<CliResult> } {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", ...options.env },
    ...(options.asNobody && isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = once(child, "close").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    stdout,
    stderr,
    ms: performance.now() - started,
  }));
  return { child, done };
}

export function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; asNobody?: boolean },
): Promise<CliResult> {
  return startCli(args, options).done;
}

export async function readReport(file: string): Promise<RunReport> {
  return JSON.parse(await readFile(file, "utf8")) as RunReport;
}

/** Every LM call the run sent, whatever its purpose. */
export function totalCalls(report: RunReport): number {
  const c = report.lm_calls;
  return c.step + c.optimize + c.evaluate + c.judge;
}
