import { quietWhenClosed } from "./closed-pipe.js";

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Exit codes of the CLI contract (DESIGN.md). */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;

/** A usage error: the face prints it with the command's usage and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export interface Command {
  name: string;
  /** One line for `hybrid-pipeline --help`. */
  summary: string;
  /** Full `--help` text of the command. */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** The real process's streams; writes after the reader closed the pipe are dropped quietly. */
export function processIo(): CliIo {
  return {
    stdout: quietWhenClosed(process.stdout),
    stderr: quietWhenClosed(process.stderr),
    cwd: process.cwd(),
    env: process.env,
  };
}
