import { randomBytes } from "node:crypto";
import { mkdir, readFile, realpath, rename, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createTwoFilesPatch } from "diff";
import { migrateSource, type MigrationOutcome, type Scaffold } from "../../migrate/index.js";
import { decodeText, notTextMessage } from "../../config/index.js";
import { ExitCode, UsageError, type CliIo, type Command } from "../cli-io.js";

const usage = `Usage: hybrid-pipeline migrate [--write | --check] [--scaffold-training-data] FILE...

Turns traditional pipeline files into hybrid ones: adds workflow.dspy_config (with a
signature for each LLM step whose prompt has substance) and workflow.hybrid_config
(mode: hybrid), whichever is missing, at the end of the workflow: map. Every byte
outside the inserted block stays as it was (comments, blank lines, quoting, CRLF, BOM);
the edit is re-parsed and verified, and a file that cannot be migrated safely is
refused and left untouched. A migrated file is left alone (idempotent).

Options:
  (none)                    print a unified diff (a/ b/ paths) per file that would change
                            on stdout; write nothing
  --write                   edit the files in place (atomically; unchanged files untouched)
  --check                   write nothing; exit 1 when any file would change (for CI)
  --scaffold-training-data  also create training_data/<step>.yaml (relative to the current
                            directory), a commented template per new signature; existing
                            files are never overwritten

Per-file lines ("migrated", "already migrated", "skipped", "refused ... : reason") and a
summary go to stderr in diff mode, to stdout with --write or --check.

Exit codes: 0 done; 1 --check found a file to migrate, or a file is unreadable, invalid
or could not be edited safely; 2 usage error. Files that are not pipeline files (no
top-level workflow: key, e.g. a CI workflow caught by a glob) are reported as skipped
and do not change the exit code.`;

type Mode = "diff" | "write" | "check";
type FileResult =
  | { kind: "error"; verb: "unreadable" | "unwritable"; file: string; reason: string }
  | { kind: "outcome"; outcome: MigrationOutcome };

async function readText(path: string): Promise<string | { error: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return {
      error: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? "unknown error"})`,
    };
  }
  const decoded = decodeText(bytes);
  return decoded.kind === "text" ? decoded.text : { error: notTextMessage(decoded) };
}

/**
 * Writes beside the target and renames over it, keeping the file's mode: a reader never sees half a file.
 * A symbolic link is followed, so the link stays a link and its target gets the new text.
 */
async function writeAtomically(link: string, text: string): Promise<void> {
  const path = await realpath(link);
  const mode = (await stat(path)).mode & 0o7777;
  const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, text, { mode });
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function patch(from: string, to: string, before: string, after: string): string {
  return createTwoFilesPatch(from, to, before, after, "", "").replace(/^=+\n/, "");
}

function statusLine(result: FileResult, mode: Mode): string {
  if (result.kind === "error") return `${result.verb} ${result.file}: ${result.reason}`;
  const { outcome } = result;
  if (outcome.kind === "already_migrated") return `already migrated ${outcome.file}`;
  if (outcome.kind === "refused")
    return `${outcome.code === "not_a_workflow" ? "skipped" : "refused"} ${outcome.file}: ${outcome.reason}`;
  const verb = mode === "write" ? "migrated" : "would migrate";
  return `${verb} ${outcome.file} (added ${outcome.added.join(", ")}; ${outcome.steps.length} signature${outcome.steps.length === 1 ? "" : "s"})`;
}

function summaryLine(results: FileResult[], mode: Mode): string {
  const outcomes = results.flatMap((r) => (r.kind === "outcome" ? [r.outcome] : []));
  const count = (pred: (o: MigrationOutcome) => boolean) => outcomes.filter(pred).length;
  const migrated = count((o) => o.kind === "migrated");
  const skipped = count((o) => o.kind === "refused" && o.code === "not_a_workflow");
  const refused = count((o) => o.kind === "refused") - skipped + (results.length - outcomes.length);
  const verb = mode === "write" ? "migrated" : "to migrate";
  return `${results.length} file${results.length === 1 ? "" : "s"}: ${migrated} ${verb}, ${count((o) => o.kind === "already_migrated")} already migrated, ${skipped} skipped (not pipeline files), ${refused} refused`;
}

function isFailure(result: FileResult, mode: Mode): boolean {
  if (result.kind === "error") return true;
  const { outcome } = result;
  if (outcome.kind === "refused") return outcome.code !== "not_a_workflow";
  return mode === "check" && outcome.kind === "migrated";
}

async function newScaffolds(
  scaffolds: Scaffold[],
  cwd: string,
  claimed: Set<string>,
): Promise<Scaffold[]> {
  const fresh: Scaffold[] = [];
  for (const scaffold of scaffolds) {
    const path = resolve(cwd, scaffold.path);
    if (claimed.has(path) || (await exists(path))) continue;
    claimed.add(path);
    fresh.push(scaffold);
  }
  return fresh;
}

/** Writes the migrated file, then its scaffolds; returns which write failed and why (the file being replaced stays whole). */
async function writeMigration(
  path: string,
  text: string,
  scaffolds: Scaffold[],
  cwd: string,
): Promise<string | undefined> {
  const failed = (target: string, e: unknown) =>
    `cannot write ${target} (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  try {
    await writeAtomically(path, text);
  } catch (e) {
    return failed("the file", e);
  }
  for (const s of scaffolds) {
    try {
      const target = resolve(cwd, s.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, s.text, { flag: "wx" });
    } catch (e) {
      return `migrated, but ${failed(s.path, e)}`;
    }
  }
  return undefined;
}

/** `hybrid-pipeline migrate`: adds dspy_config and hybrid_config to pipeline files, as a diff, in place, or as a CI check. */
export const migrateCommand: Command = {
  name: "migrate",
  summary: "add dspy_config and hybrid_config to pipeline files (diff, --write, --check)",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        write: { type: "boolean", default: false },
        check: { type: "boolean", default: false },
        "scaffold-training-data": { type: "boolean", default: false },
      },
    });
    if (values.write && values.check)
      throw new UsageError("--write and --check exclude each other");
    if (positionals.length === 0) throw new UsageError("give at least one FILE");
    const mode: Mode = values.write ? "write" : values.check ? "check" : "diff";
    const report = (text: string) => (mode === "diff" ? io.stderr(text) : io.stdout(text));
    const claimed = new Set<string>();
    const results: FileResult[] = [];
    for (const file of positionals) {
      const path = resolve(io.cwd, file);
      const text = await readText(path);
      if (typeof text !== "string") {
        results.push({ kind: "error", verb: "unreadable", file, reason: text.error });
      } else {
        const outcome = migrateSource(text, file, {
          scaffoldTrainingData: values["scaffold-training-data"],
        });
        results.push({ kind: "outcome", outcome });
        if (outcome.kind === "migrated" && mode !== "check") {
          const scaffolds = await newScaffolds(outcome.scaffolds, io.cwd, claimed);
          if (mode === "diff") {
            io.stdout(patch(`a/${file}`, `b/${file}`, text, outcome.text));
            for (const s of scaffolds) io.stdout(patch("/dev/null", `b/${s.path}`, "", s.text));
          } else {
            const failure = await writeMigration(path, outcome.text, scaffolds, io.cwd);
            if (failure)
              results[results.length - 1] = {
                kind: "error",
                verb: "unwritable",
                file,
                reason: failure,
              };
          }
        }
      }
      report(`${statusLine(results.at(-1)!, mode)}\n`);
    }
    report(`${summaryLine(results, mode)}\n`);
    return results.some((r) => isFailure(r, mode)) ? ExitCode.failed : ExitCode.ok;
  },
};
