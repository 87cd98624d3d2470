import { summarizePairs } from "../stats/index.js";
import { fdrIntervals, verdictOf } from "./verdict.js";
import { isRecord } from "./guards.js";
import { parseRunReport } from "./parse-report.js";
import type { RunReport, StepReport } from "./run-report.js";
import {
  fingerprintParts,
  type Baseline,
  type FingerprintPart,
  type StepFingerprint,
  type VsBase,
} from "./vs-base-schema.js";

/** A saved base-branch run: where it came from and its reports as read back (any version, unchecked). */
export interface BaseRun {
  branch: string;
  /** The commit the base run built, when known (from the cache key). */
  sha: string | null;
  /** The saved JSON: an array of run reports. */
  reports: unknown;
}

type RoutedName = "traditional" | "optimized" | "ab";
type Scores = { route: RoutedName; metric: string; scores: Map<string, number> };

/**
 * Per held-out example (by id; a repeated id by its occurrence), the quality of the variant the step
 * routed to. `ab` keeps the better result of both variants, so its quality is the per-example maximum.
 */
function routedScores(step: StepReport, run: string): Scores | string {
  if (step.route === "skipped") return `skipped in ${run}`;
  const ab = step.ab;
  const ids = ab?.heldout?.ids;
  if (!ab || !ids) return `no held-out examples by id in ${run}`;
  if (ids.length !== ab.pairs.length) return `held-out ids and scores differ in number in ${run}`;
  const seen = new Map<string, number>();
  const scores = new Map<string, number>();
  const route = step.route;
  ab.pairs.forEach((pair, i) => {
    const id = ids[i]!;
    const k = seen.get(id) ?? 0;
    seen.set(id, k + 1);
    const score = route === "ab" ? Math.max(pair.traditional, pair.optimized) : pair[route];
    scores.set(k === 0 ? id : `${id}#${k}`, score);
  });
  return { route, metric: ab.metric, scores };
}

/** Fingerprint parts that differ (a part known on one side only counts as changed). */
export function changedFingerprint(
  now: StepFingerprint | undefined,
  base: StepFingerprint | undefined,
): FingerprintPart[] {
  if (!now || !base) return [];
  return fingerprintParts.filter((p) => now[p] !== base[p]);
}

/** "3 added, 1 removed" for two id sets, or null when they are equal. */
function idDifference(now: Map<string, number>, base: Map<string, number>): string | null {
  const added = [...now.keys()].filter((id) => !base.has(id)).length;
  const removed = [...base.keys()].filter((id) => !now.has(id)).length;
  if (added === 0 && removed === 0) return null;
  return `test examples differ: ${added} added, ${removed} removed`;
}

const hasHeldout = (step: StepReport | undefined): boolean => step?.ab?.heldout !== undefined;

/**
 * One step against the base run's step of the same name: Δ = quality of the variant it routes to now −
 * quality of the variant the base run routed to, paired per held-out example id, with the report's
 * paired t rule (`summarizePairs`). Comparable only with the same provider, metric and test ids.
 * Undefined when neither run has held-out evidence for the step (nothing to compare).
 */
export function compareStep(
  now: StepReport,
  base: StepReport | undefined,
  providers: { now: string; base: string },
  baseVersion: number,
): VsBase | undefined {
  if (!hasHeldout(now) && !hasHeldout(base)) return undefined;
  const changed = changedFingerprint(now.fingerprint, base?.fingerprint);
  const no = (reason: string): VsBase => ({
    comparable: false,
    reason,
    ...(changed.length > 0 ? { changed } : {}),
  });
  if (!base) return no("new step: not in the base run");
  if (providers.now !== providers.base)
    return no(`base ran on ${providers.base}, this run on ${providers.now}`);
  if (baseVersion < 2)
    return no(`base report is schema version ${baseVersion}: too old to compare (no held-out ids)`);
  const current = routedScores(now, "this run");
  if (typeof current === "string") return no(current);
  const before = routedScores(base, "the base run");
  if (typeof before === "string") return no(before);
  if (current.metric !== before.metric)
    return no(`metric differs: base ${before.metric}, this run ${current.metric}`);
  const differ = idDifference(current.scores, before.scores);
  if (differ) return no(differ);
  const pairs = [...current.scores].map(([id, score]) => ({
    traditional: before.scores.get(id)!,
    optimized: score,
  }));
  const summary = summarizePairs(pairs, { seed: 0 });
  return {
    comparable: true,
    delta: summary.delta,
    ci95: summary.ci95,
    p_value: summary.p_value,
    se: summary.se,
    df: summary.df,
    n: summary.n,
    route_now: current.route,
    route_base: before.route,
    changed,
  };
}

/** A saved report's version, when it has one (to name a report this version cannot read). */
const versionOf = (value: unknown): unknown => (isRecord(value) ? value.schema_version : undefined);

/** The base reports that parse; a note naming the first that does not (e.g. a newer version). */
function readBase(value: unknown): { reports: RunReport[]; problem: string | null } {
  if (!Array.isArray(value))
    return { reports: [], problem: "the saved baseline is not a list of reports" };
  const reports: RunReport[] = [];
  let problem: string | null = null;
  value.forEach((item, i) => {
    const parsed = parseRunReport(item, `baseline report ${i + 1}`);
    if (parsed.ok) reports.push(parsed.report);
    else
      problem ??=
        typeof versionOf(item) === "number" && (versionOf(item) as number) > 2
          ? `baseline report ${i + 1} is schema version ${String(versionOf(item))}, newer than this version reads`
          : (parsed.problems[0] ?? `baseline report ${i + 1} is not a run report`);
  });
  return { reports, problem };
}

const baselineOf = (base: BaseRun, found: RunReport | null, note: string | null): Baseline => ({
  branch: base.branch,
  sha: base.sha,
  schema_version: found?.schema_version ?? null,
  provider: found?.provider ?? null,
  note,
});

/**
 * Adds `baseline` and each step's `vs_base` to the reports of a pull-request run, against the base
 * run's report of the same workflow and file. Pure: new reports, the inputs untouched.
 */
export function compareWithBaseline(reports: readonly RunReport[], base: BaseRun): RunReport[] {
  const read = readBase(base.reports);
  return reports.map((report) => {
    const found =
      read.reports.find((r) => r.workflow === report.workflow && r.file === report.file) ?? null;
    if (!found) {
      const note =
        read.problem ??
        `The baseline of ${base.branch}${base.sha ? ` (${base.sha.slice(0, 7)})` : ""} has no run of ${report.file}: the next run on ${base.branch} saves one.`;
      return { ...report, baseline: baselineOf(base, null, note) };
    }
    const providers = { now: report.provider, base: found.provider };
    const steps = report.steps.map((step) => {
      const vs = compareStep(
        step,
        found.steps.find((s) => s.name === step.name),
        providers,
        found.schema_version,
      );
      return vs ? { ...step, vs_base: vs } : step;
    });
    return { ...report, steps: withVsBaseFdr(steps), baseline: baselineOf(base, found, null) };
  });
}

/**
 * The vs-base verdicts of a report's steps with the false discovery rate held at 5% across them, as the
 * A/B verdicts are (`applyFdr`): q-values, intervals at the false-coverage-adjusted level, and the
 * verdict read from those intervals. Pure: new steps.
 */
export function withVsBaseFdr(steps: readonly StepReport[]): StepReport[] {
  type Compared = Extract<VsBase, { comparable: true }> & { p_value: number };
  const tested = steps.flatMap((s, i) =>
    s.vs_base?.comparable === true && s.vs_base.p_value !== null ? [i] : [],
  );
  const vsOf = (i: number) => steps[i]!.vs_base as Compared;
  // Older comparisons without se/df keep their own 95% interval.
  const { adjusted } = fdrIntervals(
    tested.map((i) => ({ ...vsOf(i), se: vsOf(i).se ?? Number.NaN, df: vsOf(i).df ?? 0 })),
  );
  const out = [...steps];
  tested.forEach((i, j) => {
    const vs = vsOf(i);
    const ci = vs.se === undefined ? vs.ci95 : adjusted[j]!.ci;
    const verdict = verdictOf(ci, vs.n, 0) as "better" | "worse" | "inconclusive";
    out[i] = {
      ...steps[i]!,
      vs_base: { ...vs, q_value: adjusted[j]!.q_value, ci_fdr: ci, verdict },
    };
  });
  return out;
}

/** Marks the reports as not compared, with the note that says why (no baseline yet, cache unavailable). */
export function withoutBaseline(
  reports: readonly RunReport[],
  branch: string,
  note: string,
): RunReport[] {
  return reports.map((report) => ({
    ...report,
    baseline: { branch, sha: null, schema_version: null, provider: null, note },
  }));
}
