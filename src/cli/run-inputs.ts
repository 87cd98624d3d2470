import path from "node:path";
import type { Workflow } from "../config/index.js";

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v);

/** Paths under `value` a run reads: `{type: file, path}` prompt parts and nested `pipeline_file`s. */
function readPaths(value: unknown, into: string[]): string[] {
  if (Array.isArray(value)) for (const item of value) readPaths(item, into);
  else if (isNode(value)) {
    if (value.type === "file" && typeof value.path === "string") into.push(value.path);
    if (typeof value.pipeline_file === "string") into.push(value.pipeline_file);
    for (const child of Object.values(value)) readPaths(child, into);
  }
  return into;
}

/**
 * The files and directories a run of `workflow` reads (absolute): the pipeline file itself, its training
 * data (`dspy_config.training_data_path`, default `training_data`), prompt files and nested pipelines.
 * Paths holding a `{{placeholder}}` are left out: they are only known while running.
 */
export function runInputs(file: string, workflow: Workflow, workdir: string): string[] {
  const training = workflow.dspy_config?.training_data_path ?? "training_data";
  const paths = [training, ...readPaths(workflow.steps, [])].filter((p) => !p.includes("{{"));
  return [path.resolve(file), ...paths.map((p) => path.resolve(workdir, p))];
}
