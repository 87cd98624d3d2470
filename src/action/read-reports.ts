import type { RunReport } from "../report/index.js";
import type { ActionDeps } from "./action-deps.js";
import { findFiles } from "./find-files.js";

export type ReadReportsOutcome = { kind: "ok"; reports: RunReport[]; files: string[] } | { kind: "invalid"; problems: string[] };

/** The fields the renderer reads; a file without them is not one of our reports. */
function isRunReport(value: unknown): value is RunReport {
  const r = value as Partial<RunReport> | null;
  return (
    typeof r === "object" && r !== null && r.schema_version === 1 && typeof r.workflow === "string" && Array.isArray(r.steps) &&
    typeof r.lm_calls === "object" && typeof r.cache === "object" && typeof r.budget === "object"
  );
}

/**
 * Reads report JSON files (each one report or an array of them, as `report-path` writes) matched by
 * `patterns` under the workspace. These files come from another job, possibly a fork's, so each is
 * checked for shape; the renderer escapes every string it shows.
 */
export async function readReports(deps: ActionDeps, patterns: readonly string[]): Promise<ReadReportsOutcome> {
  const files = await findFiles(deps.workspace, patterns);
  if (files.length === 0) return { kind: "invalid", problems: [`input 'report': no file matched ${patterns.join(", ")}`] };
  const problems: string[] = [];
  const reports: RunReport[] = [];
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await deps.readFile(`${deps.workspace}/${file}`));
    } catch (error) {
      problems.push(`${file}:1:1: not JSON (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const items = Array.isArray(parsed) ? parsed : [parsed];
    items.forEach((item, i) => {
      if (isRunReport(item)) reports.push(item);
      else problems.push(`${file}:1:1: entry ${i} is not a hybrid-pipeline report (schema_version 1 with workflow, steps, lm_calls, cache, budget)`);
    });
  }
  return problems.length > 0 ? { kind: "invalid", problems } : { kind: "ok", reports, files };
}
