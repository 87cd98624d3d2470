import { parseRunReport, type RunReport } from "../report/index.js";
import type { ActionDeps } from "./action-deps.js";
import { findFiles } from "./find-files.js";

export type ReadReportsOutcome =
  { kind: "ok"; reports: RunReport[]; files: string[] } | { kind: "invalid"; problems: string[] };

/**
 * Reads the report JSON files matched by `patterns` under the workspace: each one report or an array of
 * them, as `report-path` writes (`[]` from a shard that matched no pipeline file). They come from other
 * jobs, possibly a fork's, so each report is checked against the report schema before the merge reads its
 * A/B pairs; the renderer escapes every string it shows.
 */
export async function readReports(
  deps: ActionDeps,
  patterns: readonly string[],
): Promise<ReadReportsOutcome> {
  const files = await findFiles(deps.workspace, patterns);
  if (files.length === 0)
    return {
      kind: "invalid",
      problems: [`input 'report': no file matched ${patterns.join(", ")}`],
    };
  const problems: string[] = [];
  const reports: RunReport[] = [];
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await deps.readFile(`${deps.workspace}/${file}`));
    } catch (error) {
      problems.push(
        `${file}:1:1: not JSON (${error instanceof Error ? error.message : String(error)})`,
      );
      continue;
    }
    const items = Array.isArray(parsed)
      ? parsed.map((item, i) => ({ item, label: `${file} [report ${i}]` }))
      : [{ item: parsed, label: file }];
    for (const { item, label } of items) {
      const checked = parseRunReport(item, label);
      if (checked.ok) reports.push(checked.report);
      else problems.push(...checked.problems);
    }
  }
  return problems.length > 0 ? { kind: "invalid", problems } : { kind: "ok", reports, files };
}
