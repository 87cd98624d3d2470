import { describe, expect, it } from "vitest";
import { mergeReports } from "../../src/render/index.js";
import { buildAbBlock } from "../../src/report/index.js";
import { abBlock, report, step } from "../support/report-fixtures.js";
import { scorePairs, shardedRun } from "../support/sharded-run.js";

const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("mergeReports", () => {
  it.each(["binary", "continuous"] as const)(
    "merges three shards of a %s-metric evaluation into exactly the unsharded report",
    (kind) => {
      const { shards, single } = shardedRun(kind);
      const merged = mergeReports(viaJson(shards));
      expect(merged).toEqual([single]);
      const ab = merged[0]!.steps[0]!.ab!;
      expect(ab.n).toBe(60);
      expect(ab.pairs).toEqual(scorePairs(kind));
      // Recomputed, not averaged: the shards' intervals and p-values say nothing about the merged ones.
      expect(shards.map((s) => s.steps[0]!.ab!.p_value)).not.toContain(ab.p_value);
    },
  );

  it("keeps the shards' pair order, so a reordered matrix gives another (still exact) pair list", () => {
    const { shards } = shardedRun("continuous");
    const [a, b, c] = shards;
    const reordered = mergeReports([c!, a!, b!])[0]!.steps[0]!.ab!;
    const pairs = scorePairs("continuous");
    expect(reordered.pairs).toEqual([...pairs.slice(40), ...pairs.slice(0, 40)]);
    expect(reordered.delta).toBeCloseTo(mergeReports(shards)[0]!.steps[0]!.ab!.delta, 12);
  });

  it("returns a report without sibling shards unchanged, keeping the order reports first appear in", () => {
    const { shards } = shardedRun("binary");
    const other = report({
      workflow: "docs",
      file: "docs.yaml",
      steps: [step({ name: "write", ab: abBlock() })],
    });
    const merged = mergeReports([shards[0]!, other, shards[1]!]);
    expect(merged.map((r) => r.workflow)).toEqual(["code_review", "docs"]);
    expect(merged[1]).toBe(other);
    expect(merged[0]!.steps[0]!.ab!.n).toBe(40);
  });

  it("keeps the first shard's route when shards disagree, and says so once in the warnings", () => {
    const first = report({
      warnings: ["w"],
      steps: [
        step({
          name: "s",
          route: "optimized",
          decision: {
            route: "optimized",
            reason: "benefit 0.3 > 2 × threshold 0.1",
            estimated_benefit: 0.3,
          },
        }),
      ],
    });
    const second = report({
      warnings: ["w"],
      steps: [
        step({
          name: "s",
          route: "traditional",
          decision: {
            route: "traditional",
            reason: "benefit 0.05 ≤ threshold 0.1",
            estimated_benefit: 0.05,
          },
        }),
      ],
    });
    const [merged] = mergeReports([first, second]);
    expect(merged!.steps[0]!.route).toBe("optimized");
    expect(merged!.steps[0]!.decision).toEqual(first.steps[0]!.decision);
    expect(merged!.warnings).toEqual([
      "w",
      "merged 2 shards: step s: shard 2 routed it traditional (benefit 0.05 ≤ threshold 0.1), shard 1 optimized; kept optimized",
    ]);
  });

  it("takes the worst status of run and step, sums errors per arm and code, and appends steps only some shards ran", () => {
    const a = report({
      status: "success",
      errors: { traditional: { timeout: 1 }, optimized: {} },
      steps: [step({ name: "x" })],
    });
    const b = report({
      status: "failed",
      errors: { traditional: { timeout: 2, rate_limited: 1 }, optimized: { parse_failed: 4 } },
      steps: [
        step({ name: "x", status: "failed", error: "boom" }),
        step({ name: "y", status: "not_run" }),
      ],
    });
    const [merged] = mergeReports([a, b]);
    expect(merged!.status).toBe("failed");
    expect(merged!.errors).toEqual({
      traditional: { timeout: 3, rate_limited: 1 },
      optimized: { parse_failed: 4 },
    });
    expect(merged!.steps.map((s) => [s.name, s.status, s.error])).toEqual([
      ["x", "failed", "boom"],
      ["y", "not_run", null],
    ]);
  });

  it("sums performance runs, tokens, cost and provider faults per step and route, weighting rates by runs", () => {
    const perf = (n: number, p50: number, quality: number | null, cost: number | null) => ({
      step: "x",
      route: "optimized" as const,
      n,
      success_rate: 1 - 1 / n,
      latency_p50_ms: p50,
      latency_p95_ms: p50 * 2,
      input_tokens: 10 * n,
      output_tokens: n,
      cost_usd: cost,
      quality,
    });
    const a = report({
      performance: [perf(2, 100, 1, 0.02)],
      provider_faults: { rate_limited: 2 },
    });
    const b = report({
      performance: [perf(6, 300, 0.5, 0.06), { ...perf(1, 50, null, null), route: "traditional" }],
      provider_faults: { rate_limited: 1, timeout: 1 },
    });
    const [merged] = mergeReports([a, b]);
    expect(merged!.provider_faults).toEqual({ rate_limited: 3, timeout: 1 });
    const optimized = merged!.performance!.find((p) => p.route === "optimized")!;
    expect(optimized).toMatchObject({
      n: 8,
      latency_p50_ms: 250,
      latency_p95_ms: 500,
      input_tokens: 80,
      output_tokens: 8,
    });
    expect(optimized.success_rate).toBeCloseTo((2 * 0.5 + 6 * (5 / 6)) / 8, 12);
    expect(optimized.quality).toBeCloseTo((2 * 1 + 6 * 0.5) / 8, 12);
    expect(optimized.cost_usd).toBeCloseTo(0.08, 12);
    expect(merged!.performance!.find((p) => p.route === "traditional")).toMatchObject({
      n: 1,
      cost_usd: null,
      quality: null,
    });
  });

  it("warns, instead of silently differing from the unsharded run, when a shard's statistics used another seed", () => {
    const pairs = scorePairs("continuous");
    const shard = (slice: typeof pairs, seed: number) =>
      report({
        steps: [
          step({
            name: "s",
            route: "ab",
            ab: buildAbBlock({ source: "evaluation", metric: "token_f1", pairs: slice, seed }),
          }),
        ],
      });
    const [merged] = mergeReports([shard(pairs.slice(0, 30), 7), shard(pairs.slice(30), 0)]);
    expect(merged!.warnings).toEqual([
      "merged 2 shards: step s: shard 1's A/B statistics do not reproduce with seed 0 and threshold 0.1; the merged statistics use those (give the report command the --seed and --threshold the run used)",
    ]);
    expect(merged!.steps[0]!.ab).toEqual(
      buildAbBlock({ source: "evaluation", metric: "token_f1", pairs, seed: 0 }),
    );
    const [withSeed] = mergeReports([shard(pairs.slice(0, 30), 7), shard(pairs.slice(30), 7)], {
      seed: 7,
    });
    expect(withSeed!.warnings).toEqual([]);
    expect(withSeed!.steps[0]!.ab).toEqual(
      buildAbBlock({ source: "evaluation", metric: "token_f1", pairs, seed: 7 }),
    );
  });

  it("reads each report's own seed instead of assuming 0", () => {
    const pairs = scorePairs("continuous");
    const shard = (slice: typeof pairs) =>
      report({
        seed: 7,
        seed_source: "run_id",
        steps: [
          step({
            name: "s",
            route: "ab",
            ab: buildAbBlock({ source: "evaluation", metric: "token_f1", pairs: slice, seed: 7 }),
          }),
        ],
      });
    const [merged] = mergeReports([shard(pairs.slice(0, 30)), shard(pairs.slice(30))]);
    expect(merged!.warnings).toEqual([]);
    expect(merged!.steps[0]!.ab).toEqual(
      buildAbBlock({ source: "evaluation", metric: "token_f1", pairs, seed: 7 }),
    );
  });

  it("combines online blocks by a rule that keeps them always-valid: Bonferroni p and the hull of the sequences", () => {
    const online = (n: number, p: number, ci95: [number, number]) =>
      report({
        steps: [
          step({
            name: "s",
            route: "ab",
            ab: abBlock({ source: "online", n, p_value: p, ci95, delta: 0.2 }),
            online: {
              scorer: "judge",
              scorer_detail: "pairwise judge sim-1",
              distinct_inputs: n,
              repeats_ignored: 1,
              decided: null,
            },
          }),
        ],
      });
    const [merged] = mergeReports([online(20, 0.01, [0.05, 0.6]), online(30, 0.2, [-0.1, 0.4])]);
    const ab = merged!.steps[0]!.ab!;
    expect(ab.p_value).toBeCloseTo(0.02, 12);
    expect(ab.ci95).toEqual([-0.1, 0.6]);
    expect(ab.n).toBe(30);
    expect(ab.recommendation).toBe("use_optimized");
    expect(ab.recommendation_reason).toBe(
      "always-valid across 2 shards (Bonferroni p, hull of the confidence sequences)",
    );
    expect(merged!.steps[0]!.online).toMatchObject({ scorer: "judge", distinct_inputs: 30 });
    const [weak] = mergeReports([online(20, 0.04, [0.01, 0.6]), online(30, 0.2, [-0.1, 0.4])]);
    expect(weak!.steps[0]!.ab!.p_value).toBeCloseTo(0.08, 12);
    expect(weak!.steps[0]!.ab!.recommendation).toBe("keep_testing");
  });

  it("keeps the first shard's A/B block, with a warning, when a shard carries no per-pair scores to merge", () => {
    const withoutPairs = report({
      steps: [step({ name: "s", route: "ab", ab: abBlock({ n: 40, pairs: [] }) })],
    });
    const withPairs = report({
      steps: [
        step({
          name: "s",
          route: "ab",
          ab: buildAbBlock({
            source: "evaluation",
            metric: "exact_match",
            pairs: scorePairs("binary"),
            seed: 0,
          }),
        }),
      ],
    });
    const [merged] = mergeReports([withoutPairs, withPairs]);
    expect(merged!.steps[0]!.ab).toEqual(withoutPairs.steps[0]!.ab);
    expect(merged!.warnings).toEqual([
      "merged 2 shards: step s: shard 1's A/B block has 0 per-pair scores for n 40, so the shards cannot be merged exactly; kept shard 1's statistics",
    ]);
  });
});

describe("mergeReports: held-out verdicts and FDR", () => {
  const heldout = {
    split: "test" as const,
    folds: null,
    n_labelled: 100,
    n_train: 40,
    n_validation: 20,
    floor: 10,
    parse_failures: { traditional: 0, optimized: 0 },
  };
  // Δ = +0.1 on 20 pairs: 3 wins, 1 loss. Alone (p ≈ 0.33) inconclusive; pooled over shards with
  // 8 wins, 0 losses in 20 more it is significant.
  const pairs = (wins: number, losses: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      traditional: i < wins ? 0 : i < wins + losses ? 1 : 1,
      optimized: i < wins ? 1 : i < wins + losses ? 0 : 1,
    }));
  const stepWith = (name: string, p: ReturnType<typeof pairs>) =>
    step({
      name,
      route: "ab",
      ab: buildAbBlock({ source: "evaluation", metric: "exact_match", pairs: p, seed: 0, heldout }),
    });

  it("recomputes the paired test from the pooled pairs and redoes the FDR across the merged steps", () => {
    const shard1 = report({
      steps: [stepWith("a", pairs(3, 1, 20)), stepWith("b", pairs(1, 1, 20))],
    });
    const shard2 = report({
      steps: [stepWith("a", pairs(8, 0, 20)), stepWith("b", pairs(1, 2, 20))],
    });
    const [merged] = mergeReports(viaJson([shard1, shard2]));
    expect(merged!.schema_version).toBe(2);
    expect(merged!.fdr).toMatchObject({ method: "benjamini_hochberg", m: 2, rejected: 1 });
    const a = merged!.steps[0]!.ab!;
    const b = merged!.steps[1]!.ab!;
    expect(a.n).toBe(40);
    expect(a.heldout).toMatchObject({ verdict: "better", split: "test" });
    expect(b.heldout!.verdict).toBe("inconclusive");
    // BH with m = 2: the smaller p doubled (or the larger p), whichever is smaller.
    expect(a.heldout!.q_value).toBeCloseTo(Math.min(1, Math.min(2 * a.p_value!, b.p_value!)), 12);
    // The verdict's interval (at the FCR-adjusted level) and the q-value agree.
    expect(a.heldout!.ci_fdr[0] > 0).toBe(a.heldout!.q_value! <= 0.05);
    expect(b.heldout!.ci_fdr[0] > 0).toBe(b.heldout!.q_value! <= 0.05);
  });

  it("reads and merges version-1 reports, recomputing their statistics with the version-2 rule", () => {
    const v1 = (p: ReturnType<typeof pairs>) =>
      report({
        schema_version: 1,
        steps: [
          step({
            name: "s",
            route: "ab",
            ab: abBlock({ n: p.length, pairs: p, p_value: 0.5, ci95: [-0.1, 0.3] }),
          }),
        ],
      });
    const [merged] = mergeReports(viaJson([v1(pairs(3, 1, 20)), v1(pairs(8, 0, 20))]));
    expect(merged!.schema_version).toBe(2);
    expect(merged!.warnings).toEqual([
      "merged 2 shards: version-1 reports: their A/B statistics are recomputed from the pairs with version 2's paired t rule",
    ]);
    expect(merged!.steps[0]!.ab).toMatchObject({ n: 40, delta: 0.25 });
    expect(merged!.steps[0]!.ab!.heldout).toBeUndefined();
  });

  it("concatenates the shards' regressed examples in shard order, an id once, at most 5", () => {
    const regression = (id: string) => ({
      id,
      traditional: { answer: `right ${id}`, score: 1 },
      optimized: { answer: `wrong ${id}`, score: 0 },
    });
    const shard = (ids: string[] | undefined, cached: boolean) =>
      report({
        steps: [
          step({
            name: "s",
            metrics: {
              latency_ms: 10,
              input_tokens: 1,
              output_tokens: 1,
              cost_usd: 0.5,
              quality: null,
              ...(cached ? { cached: true } : {}),
            },
            ...(ids ? { regressions: ids.map(regression) } : {}),
          }),
          step({ name: "t" }),
        ],
      });
    const [merged] = mergeReports([
      shard(["a", "b", "c"], true),
      shard(undefined, true),
      shard(["c", "d", "e", "f"], true),
    ]);
    const s = merged!.steps[0]!;
    expect(s.regressions).toEqual(["a", "b", "c", "d", "e"].map(regression));
    expect(merged!.steps[1]!.regressions).toBeUndefined();
    // Cached only when every shard's step was: latency and cost add up as for any step.
    expect(s.metrics).toMatchObject({ latency_ms: 30, cost_usd: 1.5, cached: true });
    const [mixed] = mergeReports([shard([], true), shard([], false)]);
    expect(mixed!.steps[0]!.metrics.cached).toBeUndefined();
    expect(mixed!.steps[0]!.regressions).toEqual([]);
  });
});
