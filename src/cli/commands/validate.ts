import { parseArgs } from "node:util";
import { loadWorkflowFile, type LoadResult, type Problem } from "../../config/index.js";
import { ExitCode, UsageError, type CliIo, type Command } from "../cli-io.js";
import { withTrainingData } from "../input-checks.js";
import { staleProgramProblems } from "./stale-programs.js";

const usage = `Usage: hybrid-pipeline validate [--strict] [--format text|json] FILE...

Checks pipeline files against the pipeline schema, and what the schema cannot see: prompt
files that do not exist, {{inputs.x}} a nested pipeline is not given, and the training data
of steps with a signature (every record against the signature). A committed program
(.hybrid-pipeline/programs/<file stem>/<step>.json) whose signature, training data or optimizer
changed since it was compiled is a warning (an error under --strict). Writes nothing.

Options:
  --strict          reproduce pipeline_ex's own loader exactly (test_echo rejected),
                    and fail on stale committed programs; by default, forms pipeline_ex
                    documents but its loader rejects are accepted with a warning
  --format FORMAT   text (default): one "path:line:col: error|warning: message" line
                    per problem, a hint line, and a summary; json: one JSON document

Exit codes: 0 all files valid (warnings allowed), 1 a file is invalid or unreadable, 2 usage error.`;

function problemLines(p: Problem): string[] {
  const head = `${p.file}:${p.line}:${p.col}: ${p.severity}: ${p.message}`;
  return p.hint ? [head, `  hint: ${p.hint}`] : [head];
}

function summary(results: LoadResult[]): string {
  const valid = results.filter((r) => r.ok).length;
  const noun = results.length === 1 ? "file" : "files";
  return `${results.length} ${noun}: ${valid} valid, ${results.length - valid} invalid`;
}

function renderText(results: LoadResult[]): string {
  const lines = results.flatMap((r) => {
    const all = [...(r.ok ? [] : r.problems), ...r.warnings].sort(
      (a, b) => a.line - b.line || a.col - b.col,
    );
    return all.flatMap(problemLines);
  });
  return [...lines, summary(results)].join("\n") + "\n";
}

function renderJson(results: LoadResult[]): string {
  const files = results.map((r) => ({
    file: r.file,
    valid: r.ok,
    problems: r.ok ? [] : r.problems,
    warnings: r.warnings,
  }));
  const valid = results.filter((r) => r.ok).length;
  return (
    JSON.stringify(
      { files, summary: { files: results.length, valid, invalid: results.length - valid } },
      null,
      2,
    ) + "\n"
  );
}

/** `hybrid-pipeline validate`: loads each file (lenient or `--strict`) and prints its problems; writes nothing. */
export const validateCommand: Command = {
  name: "validate",
  summary: "check pipeline files against the schema (path:line:col problems)",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        strict: { type: "boolean", default: false },
        format: { type: "string", default: "text" },
      },
    });
    if (values.format !== "text" && values.format !== "json")
      throw new UsageError(`--format must be text or json, not '${values.format}'`);
    if (positionals.length === 0) throw new UsageError("give at least one FILE");
    const results: LoadResult[] = [];
    for (const file of positionals) {
      const loaded = await withTrainingData(
        await loadWorkflowFile(file, { strict: values.strict, workdir: io.cwd, checkFiles: true }),
        io.cwd,
      );
      if (!loaded.ok) {
        results.push(loaded);
        continue;
      }
      const stale = await staleProgramProblems(
        file,
        loaded.workflow,
        io.cwd,
        values.strict ? "error" : "warning",
      );
      results.push(
        stale.length === 0
          ? loaded
          : values.strict
            ? { ok: false, problems: stale, warnings: loaded.warnings, file: loaded.file }
            : { ...loaded, warnings: [...loaded.warnings, ...stale] },
      );
    }
    io.stdout(values.format === "json" ? renderJson(results) : renderText(results));
    return results.every((r) => r.ok) ? ExitCode.ok : ExitCode.failed;
  },
};
