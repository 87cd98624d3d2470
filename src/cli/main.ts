import { ExitCode, processIo, UsageError, type CliIo } from "./cli-io.js";
import { commands } from "./commands/index.js";

const VERSION = "0.1.0";

function globalHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "Usage: hybrid-pipeline <command> [options]",
    "",
    "DSPy-style prompt optimization for pipeline_ex workflows.",
    "",
    "Commands:",
    ...lines,
    "",
    "Run `hybrid-pipeline <command> --help` for a command's options.",
    "Exit codes: 0 success, 1 invalid input or failed run, 2 usage error.",
    "",
  ].join("\n");
}

/** Runs the CLI with `argv` (without node and script) and resolves with the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === "--help" || verb === "-h" || verb === "help") {
    io.stdout(globalHelp());
    return verb === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (verb === "--version" || verb === "-v") {
    io.stdout(`${VERSION}\n`);
    return ExitCode.ok;
  }
  const command = commands.find((c) => c.name === verb);
  if (!command) {
    io.stderr(`hybrid-pipeline: unknown command '${verb}'\n\n${globalHelp()}`);
    return ExitCode.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(command.usage.endsWith("\n") ? command.usage : `${command.usage}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(
        `hybrid-pipeline ${command.name}: ${(error as Error).message}\n\n${command.usage}\n`,
      );
      return ExitCode.usage;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}
