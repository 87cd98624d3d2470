import { isDeepStrictEqual } from "node:util";
import type {
  AbBlock,
  CacheReport,
  OnlineEvidence,
  RunReport,
  StepMetrics,
  StepPerformance,
  StepReport,
  StepStatus,
} from "../report/index.js";
import { applyFdr, buildAbBlock, MAX_REGRESSIONS, type HeldoutSource } from "../report/index.js";

const withPerformance = (
  performance: StepPerformance[] | undefined,
): { performance?: StepPerformance[] } => (performance ? { performance } : {});

/** How merged A/B blocks are recomputed; they must match the settings the shards were evaluated with. */
export interface MergeOptions {
  /** Seed of the bootstrap intervals and permutation test. @default each report's own `seed` (0 for reports without one) */
  seed?: number;
  /** Quality gain the recommendation asks for (`hybrid_config.performance_threshold`). @default the block's recorded `threshold`, else 0.1 */
  threshold?: number;
}

interface Settings {
  /** undefined: each shard's recorded seed (the merged block uses the first shard's). */
  seed: number | undefined;
  /** undefined: each block's recorded threshold. */
  threshold: number | undefined;
  /** A shard is a version-1 report: its statistics (bootstrap, McNemar) are recomputed with version 2's rule, not checked. */
  legacy?: boolean;
}

const thresholdFor = (ab: AbBlock, settings: Settings): number =>
  settings.threshold ?? ab.threshold ?? 0.1;

const RUN_STATUS_RANK: Record<RunReport["status"], number> = { success: 0, partial: 1, failed: 2 };
/** Worst first: what a reader of a merged report must see if any shard had it. Skipped ranks below success: a step that ran anywhere says more. */
const STEP_STATUS_RANK: Record<StepStatus, number> = {
  skipped: 0,
  success: 1,
  not_run: 2,
  fallback: 3,
  failed: 4,
};

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const worst = <T extends string>(values: T[], rank: Record<T, number>): T =>
  values.reduce((a, b) => (rank[b] > rank[a] ? b : a));

function sumNullable(values: Array<number | null>): number | null {
  return values.some((v) => v === null) ? null : sum(values as number[]);
}

function sumRecords(records: Array<Record<string, number>>): Record<string, number> {
  const total: Record<string, number> = {};
  for (const record of records)
    for (const [key, n] of Object.entries(record)) total[key] = (total[key] ?? 0) + n;
  return total;
}

/** Calls that failed per arm, recovered from `success_rate = (n − failed) / n`. */
function failuresOf(ab: AbBlock): { traditional: number; optimized: number } {
  const failed = (rate: number) => Math.round(ab.n * (1 - rate));
  return {
    traditional: failed(ab.traditional.success_rate),
    optimized: failed(ab.optimized.success_rate),
  };
}

/** The held-out provenance of merged blocks: the first shard's split, each shard's unreadable answers added. */
function heldoutSource(blocks: AbBlock[]): HeldoutSource | undefined {
  const first = blocks[0]!.heldout;
  if (!first) return undefined;
  const unreadable = (k: "traditional" | "optimized") =>
    sum(
      blocks.map((b) =>
        Math.round(b.n * (b.heldout?.repeats ?? 1) * (1 - (b.heldout?.validity[k] ?? 1))),
      ),
    );
  const perExample = blocks.flatMap((b) => b.heldout?.per_example ?? []);
  // Pairs are concatenated in shard order, so are their ids (only when every shard has them).
  const ids = blocks.every((b) => b.heldout?.ids)
    ? blocks.flatMap((b) => b.heldout?.ids ?? [])
    : undefined;
  return {
    split: first.split,
    folds: first.folds,
    n_labelled: first.n_labelled,
    n_train: first.n_train,
    n_validation: first.n_validation,
    floor: first.min_labelled,
    parse_failures: { traditional: unreadable("traditional"), optimized: unreadable("optimized") },
    repeats: first.repeats,
    ...(ids ? { ids } : {}),
    ...(first.test_fraction !== undefined ? { test_fraction: first.test_fraction } : {}),
    ...(first.min_test_examples !== undefined
      ? { min_test_examples: first.min_test_examples }
      : {}),
    ...(perExample.length > 0
      ? {
          pass_rates: perExample.map((e) => ({
            id: e.id,
            traditional: e.traditional_pass_rate,
            optimized: e.optimized_pass_rate,
          })),
        }
      : {}),
  };
}

function rebuild(
  blocks: AbBlock[],
  pairs: AbBlock["pairs"],
  failures: { traditional: number; optimized: number },
  settings: Settings,
  shardSeed: number,
): AbBlock {
  const ab = blocks[0]!;
  const heldout = heldoutSource(blocks);
  return buildAbBlock({
    source: ab.source,
    metric: ab.metric,
    pairs,
    seed: settings.seed ?? shardSeed,
    threshold: thresholdFor(ab, settings),
    failures,
    ...(heldout ? { heldout } : {}),
  });
}

/** The per-comparison statistics a shard's block must reproduce (FDR-adjusted fields depend on the other steps). */
const ownStatistics = (ab: AbBlock) => ({
  delta: ab.delta,
  ci95: ab.ci95,
  p_value: ab.p_value,
  n: ab.n,
  traditional: ab.traditional,
  optimized: ab.optimized,
});

/** Quality as a mean over pairs when every shard has pairs (exact), otherwise the plain mean of the shards' values. */
function mergeQuality(steps: StepReport[]): number | null {
  const scored = steps.filter((s) => s.metrics.quality !== null);
  if (scored.length === 0) return null;
  const weights = scored.map((s) => s.ab?.n ?? 0);
  const weighted = weights.every((w) => w > 0);
  const total = weighted ? sum(weights) : scored.length;
  return sum(scored.map((s, i) => s.metrics.quality! * (weighted ? weights[i]! : 1))) / total;
}

function mergeMetrics(steps: StepReport[]): StepMetrics {
  const metrics = steps.map((s) => s.metrics);
  return {
    latency_ms: sum(metrics.map((m) => m.latency_ms)),
    input_tokens: sum(metrics.map((m) => m.input_tokens)),
    output_tokens: sum(metrics.map((m) => m.output_tokens)),
    cost_usd: sumNullable(metrics.map((m) => m.cost_usd)),
    quality: mergeQuality(steps),
    ...(metrics.every((m) => m.cached === true) ? { cached: true } : {}),
  };
}

/**
 * The shards' regressions concatenated in shard order, an example seen in an earlier shard not repeated
 * (shards sharing one cache hold the same held-out record), at most 5; absent when no shard had any.
 */
function mergeRegressions(steps: StepReport[]): Pick<StepReport, "regressions"> {
  const lists = steps.flatMap((s) => (s.regressions ? [s.regressions] : []));
  if (lists.length === 0) return {};
  const seen = new Set<string>();
  const regressions = lists
    .flat()
    .filter((r) => !seen.has(r.id) && seen.add(r.id))
    .slice(0, MAX_REGRESSIONS);
  return { regressions };
}

/**
 * Online blocks carry always-valid statistics of sequences that stopped adaptively, so their pairs are not
 * pooled into a fixed-sample test. The rule that keeps them valid whatever the shards share (one cache's
 * history or their own): the p-value is Bonferroni's, k × the smallest shard p-value (a union bound, valid
 * at any stopping time), and the interval is the hull of the shards' confidence sequences (it contains
 * each one, so it covers at least as often). Per-arm summaries are those of the shard with most pairs.
 */
function mergeOnline(shards: Array<{ shard: number; ab: AbBlock }>): AbBlock {
  const widest = shards.reduce((a, b) => (b.ab.n > a.ab.n ? b : a)).ab;
  const p = Math.min(1, shards.length * Math.min(...shards.map((s) => s.ab.p_value ?? 1)));
  const decided = p <= 0.05;
  return {
    ...widest,
    p_value: p,
    ci95: [
      Math.min(...shards.map((s) => s.ab.ci95[0])),
      Math.max(...shards.map((s) => s.ab.ci95[1])),
    ],
    recommendation: decided
      ? widest.delta >= 0
        ? "use_optimized"
        : "use_traditional"
      : "keep_testing",
    recommendation_reason: `always-valid across ${shards.length} shards (Bonferroni p, hull of the confidence sequences)`,
  };
}

function mergeOnlineEvidence(steps: StepReport[]): OnlineEvidence | undefined {
  const online = steps.flatMap((s) => (s.online ? [s.online] : []));
  if (online.length <= 1) return online[0];
  // Shards may share one cache's history: the largest count never counts an input twice.
  const most = online.reduce((a, b) => (b.distinct_inputs > a.distinct_inputs ? b : a));
  return { ...most, repeats_ignored: Math.max(...online.map((o) => o.repeats_ignored)) };
}

function mergeAb(
  name: string,
  shards: Array<{ shard: number; ab: AbBlock; seed: number }>,
  settings: Settings,
  warn: (text: string) => void,
): AbBlock {
  const first = shards[0]!.ab;
  if (shards.length === 1) return first;
  if (first.source === "online") return mergeOnline(shards);
  const unpaired = shards.find((s) => s.ab.pairs.length !== s.ab.n);
  if (unpaired) {
    warn(
      `step ${name}: shard ${unpaired.shard}'s A/B block has ${unpaired.ab.pairs.length} per-pair scores for n ${unpaired.ab.n}, so the shards cannot be merged exactly; kept shard ${shards[0]!.shard}'s statistics`,
    );
    return first;
  }
  for (const { shard, ab, seed } of shards) {
    if (ab.metric !== first.metric || ab.source !== first.source) {
      warn(
        `step ${name}: shard ${shard} scored with ${ab.source}/${ab.metric}, shard ${shards[0]!.shard} with ${first.source}/${first.metric}; pairs merged under the first`,
      );
    }
    if (settings.legacy) continue;
    const again = rebuild([ab], ab.pairs, failuresOf(ab), settings, seed);
    if (!isDeepStrictEqual(ownStatistics(again), ownStatistics(ab))) {
      warn(
        `step ${name}: shard ${shard}'s A/B statistics do not reproduce with seed ${settings.seed ?? seed} and threshold ${thresholdFor(ab, settings)}; the merged statistics use those (give the report command the --seed and --threshold the run used)`,
      );
    }
  }
  const failures = shards.map((s) => failuresOf(s.ab));
  return rebuild(
    shards.map((s) => s.ab),
    shards.flatMap((s) => s.ab.pairs),
    {
      traditional: sum(failures.map((f) => f.traditional)),
      optimized: sum(failures.map((f) => f.optimized)),
    },
    settings,
    shards[0]!.seed,
  );
}

function mergeStep(
  shards: Array<{ shard: number; step: StepReport; seed: number }>,
  settings: Settings,
  warn: (text: string) => void,
): StepReport {
  const first = shards[0]!.step;
  if (shards.length === 1) return first;
  const steps = shards.map((s) => s.step);
  for (const { shard, step } of shards.slice(1)) {
    if (step.route !== first.route || step.decision.route !== first.decision.route) {
      warn(
        `step ${first.name}: shard ${shard} routed it ${step.route} (${step.decision.reason}), shard ${shards[0]!.shard} ${first.route}; kept ${first.route}`,
      );
    }
  }
  const withAb = shards.flatMap(({ shard, step, seed }) =>
    step.ab ? [{ shard, ab: step.ab, seed }] : [],
  );
  const online = mergeOnlineEvidence(steps);
  const preview = steps.find((s) => s.output_preview)?.output_preview;
  return {
    name: first.name,
    type: first.type,
    route: first.route,
    decision: first.decision,
    status: worst(
      steps.map((s) => s.status),
      STEP_STATUS_RANK,
    ),
    fallback: steps.find((s) => s.fallback)?.fallback ?? null,
    error: steps.find((s) => s.error)?.error ?? null,
    metrics: mergeMetrics(steps),
    ...(withAb.length > 0 ? { ab: mergeAb(first.name, withAb, settings, warn) } : {}),
    ...(online ? { online } : {}),
    ...(first.program ? { program: first.program } : {}),
    ...(steps.some((s) => s.runs !== undefined)
      ? { runs: sum(steps.map((s) => s.runs ?? 1)) }
      : {}),
    ...(preview !== undefined ? { output_preview: preview } : {}),
    ...mergeRegressions(steps),
  };
}

function mergeCache(caches: CacheReport[]): CacheReport {
  const total = (pick: (c: CacheReport) => number) => sum(caches.map(pick));
  const degraded = caches.flatMap((c) => c.degraded);
  return {
    hits: {
      memory: total((c) => c.hits.memory),
      disk: total((c) => c.hits.disk),
      distributed: total((c) => c.hits.distributed),
    },
    misses: total((c) => c.misses),
    promotions: total((c) => c.promotions),
    evictions: total((c) => c.evictions),
    corrupt_entries: total((c) => c.corrupt_entries),
    ...(caches.some((c) => c.uncacheable !== undefined)
      ? { uncacheable: total((c) => c.uncacheable ?? 0) }
      : {}),
    degraded: degraded.filter(
      (d, i) => degraded.findIndex((e) => e.tier === d.tier && e.reason === d.reason) === i,
    ),
  };
}

/** Steps matched by name, in the order they first appear across the shards. */
function mergeSteps(
  shards: RunReport[],
  settings: Settings,
  warn: (text: string) => void,
): StepReport[] {
  const byName = new Map<string, Array<{ shard: number; step: StepReport; seed: number }>>();
  shards.forEach((report, i) => {
    for (const step of report.steps)
      byName.set(step.name, [
        ...(byName.get(step.name) ?? []),
        { shard: i + 1, step, seed: report.seed ?? 0 },
      ]);
  });
  return [...byName.values()].map((group) => mergeStep(group, settings, warn));
}

/**
 * The performance entries of the shards, per step and route: counts, tokens and cost add up, rates and
 * quality are weighted by runs. Latency percentiles cannot be merged exactly from percentiles: they are
 * the run-weighted mean of the shards' (an approximation, unlike the A/B statistics).
 */
function mergePerformance(shards: RunReport[]): StepPerformance[] | undefined {
  const entries = shards.flatMap((s) => s.performance ?? []);
  if (entries.length === 0) return undefined;
  const groups = new Map<string, StepPerformance[]>();
  for (const e of entries)
    groups.set(JSON.stringify([e.step, e.route]), [
      ...(groups.get(JSON.stringify([e.step, e.route])) ?? []),
      e,
    ]);
  return [...groups.values()].map((group) => {
    const n = sum(group.map((e) => e.n));
    const weighted = (pick: (e: StepPerformance) => number) =>
      sum(group.map((e) => pick(e) * e.n)) / n;
    const scored = group.filter((e) => e.quality !== null);
    const scoredRuns = sum(scored.map((e) => e.n));
    return {
      step: group[0]!.step,
      route: group[0]!.route,
      n,
      success_rate: weighted((e) => e.success_rate),
      latency_p50_ms: Math.round(weighted((e) => e.latency_p50_ms)),
      latency_p95_ms: Math.round(weighted((e) => e.latency_p95_ms)),
      input_tokens: sum(group.map((e) => e.input_tokens)),
      output_tokens: sum(group.map((e) => e.output_tokens)),
      cost_usd: sumNullable(group.map((e) => e.cost_usd)),
      quality: scoredRuns === 0 ? null : sum(scored.map((e) => e.quality! * e.n)) / scoredRuns,
    };
  });
}

function mergeShards(shards: RunReport[], settings: Settings): RunReport {
  const first = shards[0]!;
  const warnings: string[] = [];
  const warn = (text: string) => warnings.push(`merged ${shards.length} shards: ${text}`);
  for (const key of ["mode", "provider"] as const) {
    const other = shards.findIndex((s) => s[key] !== first[key]);
    if (other > 0)
      warn(
        `shard ${other + 1} ran with ${key} ${shards[other]![key]}, shard 1 with ${first[key]}; kept ${first[key]}`,
      );
  }
  const legacy = shards.some((s) => s.schema_version === 1);
  if (legacy)
    warn(
      "version-1 reports: their A/B statistics are recomputed from the pairs with version 2's paired t rule",
    );
  const { steps, fdr } = applyFdr(mergeSteps(shards, { ...settings, legacy }, warn));
  const limits = shards.map((s) => s.budget.limit_usd);
  const merged: RunReport = {
    ...first,
    schema_version: 2,
    simulated: shards.some((s) => s.simulated),
    status: worst(
      shards.map((s) => s.status),
      RUN_STATUS_RANK,
    ),
    started_at: shards
      .map((s) => s.started_at)
      .reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a)),
    duration_ms: Math.max(...shards.map((s) => s.duration_ms)),
    steps,
    cache: mergeCache(shards.map((s) => s.cache)),
    lm_calls: {
      step: sum(shards.map((s) => s.lm_calls.step)),
      optimize: sum(shards.map((s) => s.lm_calls.optimize)),
      evaluate: sum(shards.map((s) => s.lm_calls.evaluate)),
      judge: sum(shards.map((s) => s.lm_calls.judge)),
    },
    errors: {
      traditional: sumRecords(shards.map((s) => s.errors.traditional)),
      optimized: sumRecords(shards.map((s) => s.errors.optimized)),
    },
    ...(shards.some((s) => s.provider_faults)
      ? { provider_faults: sumRecords(shards.map((s) => s.provider_faults ?? {})) }
      : {}),
    ...withPerformance(mergePerformance(shards)),
    budget: {
      limit_usd: limits.some((l) => l === null) ? null : sum(limits as number[]),
      spent_usd: sum(shards.map((s) => s.budget.spent_usd)),
      exhausted: shards.some((s) => s.budget.exhausted),
    },
    warnings: [...new Set([...shards.flatMap((s) => s.warnings), ...warnings])],
  };
  // The shards' own FDR blocks are stale: the merged steps' comparison replaces them.
  delete merged.fdr;
  return fdr.m > 0 ? { ...merged, fdr } : merged;
}

/**
 * Merges the reports of a run sharded across a CI matrix: reports of the same workflow and file become
 * one, in the order each first appears; a report without siblings is returned unchanged. Each step's A/B
 * block is rebuilt from the shards' concatenated pairs (shard order), so its statistics equal those of
 * one run over all the pairs with the first shard's seed (each report's `seed`, unless `options.seed`) and
 * threshold; a shard whose own block does not reproduce under its seed adds a warning. Online blocks
 * are combined by a rule that keeps their always-valid statistics valid (see `mergeOnline`). Counters, tokens, latency and cost add up (an unpriced
 * cost stays null), status is the worst, duration the longest; disagreeing routes keep the first shard's,
 * with a warning. The held-out comparisons' false discovery rate is controlled again over the merged
 * steps (Benjamini–Hochberg), and the merged report is version 2. Pure.
 */
export function mergeReports(
  reports: readonly RunReport[],
  options: MergeOptions = {},
): RunReport[] {
  const settings: Settings = { seed: options.seed, threshold: options.threshold };
  const groups = new Map<string, RunReport[]>();
  for (const report of reports) {
    const key = JSON.stringify([report.workflow, report.file]);
    groups.set(key, [...(groups.get(key) ?? []), report]);
  }
  return [...groups.values()].map((shards) =>
    shards.length === 1 ? shards[0]! : mergeShards(shards, settings),
  );
}
