import type { ReferenceFinding } from "./references-check.js";
import type { DataPath } from "./yaml-source.js";

type Map = Record<string, unknown>;
const isMap = (v: unknown): v is Map => typeof v === "object" && v !== null && !Array.isArray(v);
const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

/** `{type: file, path}` prompt parts anywhere under `value`, with where their path is. */
function fileParts(value: unknown, path: DataPath, into: Array<{ file: string; path: DataPath }>) {
  if (Array.isArray(value)) value.forEach((v, i) => fileParts(v, [...path, i], into));
  else if (isMap(value)) {
    if (value["type"] === "file" && typeof value["path"] === "string")
      into.push({ file: value["path"], path: [...path, "path"] });
    for (const [k, v] of Object.entries(value)) fileParts(v, [...path, k], into);
  }
  return into;
}

/** Names of files steps write (`output_to_file`, file_ops `destination`): a prompt may read them later. */
function writtenNames(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) writtenNames(v, into);
  else if (isMap(value)) {
    for (const key of ["output_to_file", "destination"])
      if (typeof value[key] === "string") into.add(baseName(value[key]));
    for (const v of Object.values(value)) writtenNames(v, into);
  }
  return into;
}

/**
 * Prompt files (`{type: file, path}`) that do not exist (`exists` answers relative to the working
 * directory). Paths holding a `{{placeholder}}` and files some step writes are left to run time.
 */
export function checkPromptFiles(
  workflow: Map,
  exists: (path: string) => boolean,
): ReferenceFinding[] {
  const written = writtenNames(workflow["steps"], new Set());
  return fileParts(workflow["steps"], ["workflow", "steps"], [])
    .filter(({ file }) => !file.includes("{{") && !written.has(baseName(file)) && !exists(file))
    .map(({ file, path }) => ({
      path,
      severity: "error" as const,
      code: "MISSING_FILE" as const,
      message: `prompt file '${file}' does not exist`,
      hint: "paths are relative to the directory the pipeline runs in (--workdir, default: the current directory)",
    }));
}
