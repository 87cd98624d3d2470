import { execFile } from "node:child_process";
import { cp, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export const projectRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(projectRoot, "bin/hybrid-pipeline.js");

/** What a user sees of one CLI invocation. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs bin/hybrid-pipeline.js (compiled lib/) in `cwd` as a user would; never rejects on a non-zero exit. */
export function spawnCli(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env: { PATH: process.env.PATH ?? "", ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs a shell command line (`… | head -1`) with bash in `cwd`; the CLI is `$HP`. */
export function spawnShell(script: string, cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      "bash",
      ["--norc", "--noprofile", "-c", script],
      { cwd, env: { PATH: process.env.PATH ?? "", HP: `${process.execPath} ${bin}` } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A temp working directory holding a copy of the examples, as a user's checkout would. */
export async function examplesDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cli-"));
  await cp(path.join(projectRoot, "examples"), path.join(dir, "examples"), { recursive: true });
  return dir;
}
