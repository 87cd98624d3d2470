import { Ajv, type ValidateFunction } from "ajv";
import { RunReportSchema, type RunReport } from "./run-report.js";

type Validate = ValidateFunction<RunReport>;
let compiled: Validate | undefined;

/** Compiled on first use: most runs never read a report back, and compiling costs ~45 ms of cold start. */
function validator(): Validate {
  return (compiled ??= new Ajv({ allErrors: true, strict: false }).compile<RunReport>(
    RunReportSchema,
  ));
}

export type ParsedReport = { ok: true; report: RunReport } | { ok: false; problems: string[] };

/**
 * Checks that `value` (parsed JSON from `file`) is a run report of this tool's format; each problem
 * names the file and the JSON path, e.g. `shard-1.json: /steps/0/route: must be equal to one of the allowed values`.
 */
export function parseRunReport(value: unknown, file: string): ParsedReport {
  const validate = validator();
  if (validate(value)) return { ok: true, report: value };
  const problems = (validate.errors ?? []).map(
    (e) => `${file}: ${e.instancePath || "/"}: ${e.message ?? "invalid"}`,
  );
  return { ok: false, problems: [...new Set(problems)] };
}
