import type { RunReport } from "../report/index.js";

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, map));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, map)]));
  return value;
}

/**
 * Reports with every absolute path under `workspace` made relative to it (errors quote the files they
 * could not read): a comment shows `prompts/x.md`, not the runner's `/home/runner/work/repo/repo/...`.
 */
export function relativizePaths(reports: RunReport[], workspace: string): RunReport[] {
  const root = workspace.replace(/[\\/]+$/, "");
  if (root === "") return reports;
  const map = (text: string) => text.split(`${root}/`).join("").split(root).join(".");
  return reports.map((r) => mapStrings(r, map) as RunReport);
}
