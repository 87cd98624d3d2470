import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { mergeReports } from "../../render/index.js";
import { providerSecrets } from "../../engine/index.js";
import { parseRunReport, redact, redactDeep, type RunReport } from "../../report/index.js";
import { renderMarkdownReport } from "../../render/index.js";
import { ExitCode, UsageError, type CliIo, type Command } from "../cli-io.js";
import { outputTargetProblem } from "../output-target.js";

const usage = `Usage: hybrid-pipeline report FILE... [--format md|json] [--out FILE]

Renders run reports (written by \`run --report-json\`; each FILE holds one report or a JSON
array of them). Reports of the same workflow and file, e.g. the shards of a CI matrix, are
merged into one: A/B statistics are recomputed from the per-pair scores, counters add up.

Options:
  --format FORMAT   md (default): the markdown of the PR comment and job summary;
                    json: the merged report (an array when there are several)
  --out FILE        write to FILE instead of stdout
  --seed N          seed of the A/B statistics (default: each report's own \`seed\`, 0 for
                    reports without one), so merged intervals and p-values equal those of one run
  --threshold X     hybrid_config.performance_threshold of the workflow (default 0.1),
                    used by the merged recommendation

Exit codes: 0 rendered, 1 a file is unreadable or not a report, 2 usage error.`;

type ReadOutcome = { ok: true; reports: RunReport[] } | { ok: false; problems: string[] };

async function readReportFile(file: string, cwd: string): Promise<ReadOutcome> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), "utf8");
  } catch (error) {
    return {
      ok: false,
      problems: [
        `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      ],
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`${file}: not valid JSON (${(error as Error).message})`] };
  }
  if (Array.isArray(value) && value.length === 0)
    return {
      ok: false,
      problems: [`${file}: an empty array; expected a report or an array of reports`],
    };
  const items = Array.isArray(value)
    ? value.map((item, i) => ({ item, label: `${file} [report ${i}]` }))
    : [{ item: value, label: file }];
  const parsed = items.map(({ item, label }) => parseRunReport(item, label));
  const problems = parsed.flatMap((p) => (p.ok ? [] : p.problems));
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, reports: parsed.flatMap((p) => (p.ok ? [p.report] : [])) };
}

function numberOption(
  flag: string,
  value: string | undefined,
  valid: (n: number) => boolean,
  what: string,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !valid(n))
    throw new UsageError(`${flag} must be ${what}, not '${value}'`);
  return n;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** `hybrid-pipeline report`: validates report files, merges shards, prints markdown or JSON. */
export const reportCommand: Command = {
  name: "report",
  summary: "render or merge run reports (markdown or JSON; sharded runs)",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: "string", default: "md" },
        out: { type: "string" },
        seed: { type: "string" },
        threshold: { type: "string" },
      },
    });
    if (values.format !== "md" && values.format !== "json")
      throw new UsageError(`--format must be md or json, not '${values.format}'`);
    if (positionals.length === 0) throw new UsageError("give at least one report FILE");
    const seed = numberOption("--seed", values.seed, Number.isInteger, "an integer");
    const threshold = numberOption(
      "--threshold",
      values.threshold,
      (n) => n >= 0 && n <= 1,
      "a number from 0 to 1",
    );

    const refused =
      values.out === undefined
        ? undefined
        : await outputTargetProblem(
            path.resolve(io.cwd, values.out),
            positionals.map((f) => path.resolve(io.cwd, f)),
            io.cwd,
          );
    if (refused) {
      io.stderr(`hybrid-pipeline report: --out ${values.out}: ${refused}; give a new file path\n`);
      return ExitCode.usage;
    }
    const outcomes = await Promise.all(positionals.map((file) => readReportFile(file, io.cwd)));
    const problems = outcomes.flatMap((o) => (o.ok ? [] : o.problems));
    const secrets = providerSecrets(io.env);
    if (problems.length > 0) {
      io.stderr(problems.map((p) => `${redact(p, secrets)}\n`).join(""));
      return ExitCode.failed;
    }
    const merged = mergeReports(
      outcomes.flatMap((o) => (o.ok ? o.reports : [])),
      {
        ...(seed !== undefined ? { seed } : {}),
        ...(threshold !== undefined ? { threshold } : {}),
      },
    );
    const text =
      values.format === "md"
        ? redact(renderMarkdownReport(merged, { workspace: io.cwd }), secrets)
        : `${JSON.stringify(redactDeep(merged.length === 1 ? merged[0] : merged, secrets), null, 2)}\n`;
    if (values.out === undefined) {
      io.stdout(text);
      return ExitCode.ok;
    }
    await writeAtomically(path.resolve(io.cwd, values.out), text);
    io.stdout(`report written to ${values.out}\n`);
    return ExitCode.ok;
  },
};
