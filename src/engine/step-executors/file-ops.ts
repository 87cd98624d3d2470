import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import picomatch from "picomatch";
import YAML from "yaml";
import { stringify } from "../expression.js";
import { StepFailure, type ExecContext, type StepExecutor, type StepOf } from "../exec-context.js";

/**
 * A `file_ops` step the way pipeline_ex reads it: its schema fields, plus `path` and `replacement`, which
 * the schema does not list (the validator warns about them) but pipeline_ex's operations read.
 */
type FileOpsStep = StepOf<"file_ops"> & { path?: unknown; replacement?: unknown };

const PROCESSORS: Record<string, (line: string, step: FileOpsStep) => string> = {
  identity: (l) => l,
  uppercase: (l) => l.toUpperCase(),
  lowercase: (l) => l.toLowerCase(),
  trim: (l) => l.trim(),
  replace: (l, s) => l.split(stringify(s.pattern)).join(stringify(s.replacement)),
};

const CONVERSIONS: Record<string, (text: string) => string> = {
  json_to_yaml: (t) => YAML.stringify(JSON.parse(t)),
  yaml_to_json: (t) => `${JSON.stringify(YAML.parse(t), null, 2)}\n`,
};

/** file_ops paths are relative to the workspace directory, as pipeline_ex's `FileUtils.resolve_path/2`. */
function at(step: FileOpsStep, key: string, ctx: ExecContext, value: unknown): string {
  // A path may come from a template, which can render to something other than a string.
  if (typeof value !== "string" || value === "")
    throw new StepFailure(
      `step '${step.name}': file_ops ${step.operation} needs '${key}'`,
      "bad_file_op",
    );
  return path.resolve(ctx.workspaceDir, value);
}

async function listFiles(
  dir: string,
  pattern: string | undefined,
  recursive: boolean,
): Promise<string[]> {
  const entries = await readdir(dir, { recursive, withFileTypes: true });
  const match = pattern ? picomatch(pattern, { basename: !pattern.includes("/") }) : () => true;
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((rel) => match(rel))
    .sort();
}

async function validate(
  spec: Record<string, unknown>,
  step: FileOpsStep,
  ctx: ExecContext,
): Promise<Record<string, unknown>> {
  const file = at(step, "path", ctx, spec.path);
  const info = await stat(file).catch(() => undefined);
  const problems: string[] = [];
  if (!info) problems.push(spec.must_exist === false ? "" : "does not exist");
  else {
    if (spec.must_be_dir === true && !info.isDirectory()) problems.push("is not a directory");
    if (typeof spec.min_size === "number" && info.size < spec.min_size)
      problems.push(`is smaller than ${spec.min_size} bytes`);
    if (typeof spec.max_size === "number" && info.size > spec.max_size)
      problems.push(`is larger than ${spec.max_size} bytes`);
  }
  const errors = problems.filter(Boolean);
  return {
    path: file,
    status: errors.length === 0 ? "valid" : "invalid",
    ...(errors.length ? { error: errors.join(", ") } : {}),
  };
}

async function perform(step: FileOpsStep, ctx: ExecContext): Promise<Record<string, unknown>> {
  const operation = step.operation;
  switch (operation) {
    case "copy":
    case "stream_copy":
    case "move": {
      const [source, destination] = [
        at(step, "source", ctx, step.source),
        at(step, "destination", ctx, step.destination),
      ];
      await mkdir(path.dirname(destination), { recursive: true });
      if (operation === "move") await rename(source, destination);
      else await cp(source, destination, { recursive: true });
      return { source, destination };
    }
    case "delete": {
      const target = at(step, "path", ctx, step.path ?? step.source);
      await rm(target, { recursive: true, force: true });
      return { path: target };
    }
    case "validate": {
      const results = await Promise.all((step.files ?? []).map((f) => validate(f, step, ctx)));
      const failed = results.filter((r) => r.status === "invalid");
      if (failed.length > 0)
        throw new StepFailure(
          `step '${step.name}': validation failed for ${failed.map((f) => `${String(f.path)} (${String(f.error)})`).join("; ")}`,
          "validation_failed",
        );
      return { results, status: "all_valid" };
    }
    case "list": {
      const dir = at(step, "path", ctx, step.path ?? step.source ?? ".");
      const files = await listFiles(dir, step.pattern, step.recursive === true);
      return { path: dir, files, count: files.length };
    }
    case "convert": {
      const convert = CONVERSIONS[step.format ?? ""];
      if (!convert)
        throw new StepFailure(
          `step '${step.name}': file_ops convert format '${step.format ?? ""}' is not one of ${Object.keys(CONVERSIONS).join(", ")}`,
          "bad_file_op",
        );
      const [source, destination] = [
        at(step, "source", ctx, step.source),
        at(step, "destination", ctx, step.destination),
      ];
      await mkdir(path.dirname(destination), { recursive: true });
      await writeFile(destination, convert(await readFile(source, "utf8")));
      return { source, destination, format: step.format };
    }
    case "stream_process": {
      const source = at(step, "source", ctx, step.source);
      const name = stringify(step.processor ?? "identity");
      const processor = PROCESSORS[name];
      if (!processor)
        throw new StepFailure(
          `step '${step.name}': processor '${name}' is not one of ${Object.keys(PROCESSORS).join(", ")}`,
          "bad_file_op",
        );
      const processed = `${source}.processed`;
      const text = await readFile(source, "utf8");
      await writeFile(
        processed,
        text
          .split("\n")
          .map((l) => processor(l, step))
          .join("\n"),
      );
      return { source, processed_path: processed, processor: name };
    }
    default:
      throw new StepFailure(
        `step '${step.name}': file_ops operation '${operation}' is not one of copy, move, delete, validate, list, convert, stream_copy, stream_process`,
        "bad_file_op",
      );
  }
}

/**
 * `file_ops`: copy, move, delete, validate, list (glob `pattern`, `recursive`), convert
 * (`json_to_yaml`, `yaml_to_json`), stream_copy and stream_process (`identity`, `uppercase`,
 * `lowercase`, `trim`, `replace`), with paths relative to the workspace directory.
 * A missing source fails the step with the path.
 */
export const runFileOps: StepExecutor<"file_ops"> = async (step, ctx) => {
  try {
    return {
      result: { operation: step.operation, status: "completed", ...(await perform(step, ctx)) },
    };
  } catch (error) {
    if (error instanceof StepFailure) throw error;
    const e = error as NodeJS.ErrnoException;
    throw new StepFailure(
      `step '${step.name}': file_ops ${step.operation} failed: ${e.code === "ENOENT" ? `no such file ${e.path ?? ""}` : e.message}`,
      "file_op_failed",
    );
  }
};
