import { ExitCode, processIo, UsageError, type CliIo } from "./cli-io.js";
import { closestMatch } from "../config/index.js";
import { commands } from "./commands/index.js";
import { unknownOptionMessage } from "./unknown-option.js";

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
  const helpFor = verb === "help" ? commands.find((c) => c.name === rest[0]) : undefined;
  if (helpFor) {
    io.stdout(helpFor.usage.endsWith("\n") ? helpFor.usage : `${helpFor.usage}\n`);
    return ExitCode.ok;
  }
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
    const near = closestMatch(
      verb,
      commands.map((c) => c.name),
    );
    const hint = near ? `; did you mean ${near}?` : "";
    io.stderr(`hybrid-pipeline: unknown command '${verb}'${hint}\n\n${globalHelp()}`);
    return ExitCode.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(command.usage.endsWith("\n") ? command.usage : `${command.usage}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const unknown = isUnknownOption(error) ? unknownOptionMessage(rest, command.usage) : undefined;
    if (unknown) {
      io.stderr(
        `hybrid-pipeline ${command.name}: ${unknown}\nRun 'hybrid-pipeline ${command.name} --help' for its options.\n`,
      );
      return ExitCode.usage;
    }
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(
        `hybrid-pipeline ${command.name}: ${(error as Error).message}\n\n${command.usage}\n`,
      );
      return ExitCode.usage;
    }
    throw error;
  }
}

function isUnknownOption(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION";
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}
