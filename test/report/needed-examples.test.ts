import { describe, expect, it } from "vitest";
import { mergeReports } from "../../src/render/index.js";
import {
  applyFdr,
  buildAbBlock,
  labelledFor,
  parseRunReport,
  type HeldoutSource,
  type RunReport,
} from "../../src/report/index.js";
import { pairedSampleSize } from "../../src/stats/index.js";
import { report, step } from "../support/report-fixtures.js";

const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** n pairs with `wins` 0→1, `losses` 1→0 and the rest ties at 1. */
const pairs = (wins: number, losses: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    traditional: i < wins ? 0 : 1,
    optimized: i < wins ? 1 : i < wins + losses ? 0 : 1,
  }));

const source = (overrides: Partial<HeldoutSource> = {}): HeldoutSource => ({
  split: "test",
  folds: null,
  n_labelled: 50,
  n_train: 20,
  n_validation: 10,
  floor: 10,
  parse_failures: { traditional: 0, optimized: 0 },
  test_fraction: 0.4,
  min_test_examples: 20,
  ...overrides,
});

const block = (p: ReturnType<typeof pairs>, heldout: HeldoutSource) =>
  buildAbBlock({ source: "evaluation", metric: "exact_match", pairs: p, seed: 0, heldout });

/** sd of the differences of `pairs(wins, losses, n)`. */
const sdOf = (wins: number, losses: number, n: number) => {
  const mean = (wins - losses) / n;
  const ss = wins * (1 - mean) ** 2 + losses * (1 + mean) ** 2 + (n - wins - losses) * mean ** 2;
  return Math.sqrt(ss / (n - 1));
};

describe("held-out evidence says what an inconclusive verdict needs", () => {
  it("test split: the pairs for 80% power at the observed Δ and spread, and the labelled examples that give them", () => {
    // 20 test pairs, 4 wins and 1 loss: Δ +0.15, inconclusive.
    const ab = block(pairs(4, 1, 20), source());
    const expected = pairedSampleSize({ delta: 0.15, sd: sdOf(4, 1, 20) })!.pairs;
    // scipy.stats.nct: the exact answer for d_z = 0.15 / 0.4894 is 86 pairs too.
    expect(expected).toBe(86);
    expect(ab.heldout).toMatchObject({
      verdict: "inconclusive",
      test_fraction: 0.4,
      needed: {
        basis: "power",
        pairs: 86,
        // Only 40% of new examples land in the test split: ⌈86 / 0.4⌉ = 215 in all, 165 more.
        labelled_examples: 215,
        add_labelled_examples: 165,
        too_small: false,
        alpha: 0.05,
        power: 0.8,
      },
    });
    expect(ab.recommendation).toBe("keep_testing");
    expect(ab.recommendation_reason).toBe(
      "Δ +0.150, CI [-0.079, +0.379], n=20: the CI contains threshold 0.1; 80% power at α 0.05 for Δ +0.150 needs ≈ 86 pairs (have 20): add ≈ 165 labelled examples (only the test split's share of new examples is held out)",
    );
  });

  it("cross-fitting: every new example is held out, until the data is large enough for a test split", () => {
    const few = block(pairs(4, 1, 20), source({ split: "cross_fit", folds: 5, n_labelled: 20 }));
    // 86 pairs: 86 · 0.4 ≥ 20, so at that size the run uses a test split: ⌈86 / 0.4⌉ = 215 labelled.
    expect(few.heldout!.needed).toMatchObject({ pairs: 86, labelled_examples: 215 });
    expect(few.recommendation_reason).toMatch(/test split's share of new examples is held out\)$/);
    // 6 wins, 1 loss of 20: Δ +0.25 (scipy: t 2.03, p 0.056) needs 40 pairs (scipy.stats.nct: 40),
    // and 40 · 0.4 < 20 keeps cross-fitting: 40 labelled, 20 more.
    const more = block(pairs(6, 1, 20), source({ split: "cross_fit", folds: 5, n_labelled: 20 }));
    expect(more.heldout).toMatchObject({
      verdict: "inconclusive",
      needed: { pairs: 40, labelled_examples: 40, add_labelled_examples: 20 },
    });
    expect(more.recommendation_reason).toMatch(
      /needs ≈ 40 pairs \(have 20\): add ≈ 20 labelled examples \(cross-fitting holds every example out\)$/,
    );
  });

  it("calls an effect too small to chase above 10× the pairs measured, and a zero effect unreachable", () => {
    // 5 wins, 4 losses of 40: Δ +0.025, needs far more than 400 pairs.
    const small = block(pairs(5, 4, 40), source({ n_labelled: 100 }));
    expect(small.heldout!.needed).toMatchObject({ basis: "power", too_small: true });
    expect(small.heldout!.needed!.pairs!).toBeGreaterThan(400);
    expect(small.recommendation_reason).toMatch(
      /; Δ \+0\.025 is too small to chase: 80% power at α 0\.05 needs ≈ [\d,]+ pairs \(have 40\)$/,
    );
    const zero = block(pairs(3, 3, 40), source({ n_labelled: 100 }));
    expect(zero.heldout!.needed).toMatchObject({ pairs: null, too_small: true });
    expect(zero.recommendation_reason).toMatch(
      /Δ \+0\.000 is too small to chase: no number of pairs detects it$/,
    );
  });

  it("below the floor: the labelled examples up to it", () => {
    const ab = block([], source({ split: "none", n_labelled: 6 }));
    expect(ab.heldout).toMatchObject({
      verdict: "needs_more_data",
      needed: { basis: "floor", pairs: null, labelled_examples: 10, add_labelled_examples: 4 },
    });
    expect(ab.recommendation_reason).toBe(
      "needs more data for a held-out verdict: add at least 4 more labelled examples (have 6, floor 10)",
    );
  });

  it("turns pairs into labelled examples by the split rule, only ever adding examples", () => {
    const test = (n: number, nLabelled: number) => ({
      split: "test" as const,
      n,
      n_labelled: nLabelled,
    });
    const crossFit = (n: number) => ({ split: "cross_fit" as const, n, n_labelled: n });
    // A test split of 20 from 50 needing 45 pairs: 25 more at 40% each is 63 more, never "cross-fit 45".
    expect(labelledFor(45, test(20, 50), 0.4, 20)).toBe(113);
    // Its hash gave it 24 of 50: 21 more pairs need 53 more examples.
    expect(labelledFor(45, test(24, 50), 0.4, 20)).toBe(103);
    // Cross-fitting 20 needing 40: at 40 labelled the test split would hold 16 < 20, so still cross-fit.
    expect(labelledFor(40, crossFit(20), 0.4, 20)).toBe(40);
    // Needing 86: at that size a test split takes over, holding 40% of all.
    expect(labelledFor(86, crossFit(30), 0.4, 20)).toBe(215);
    // test_fraction 0: always cross-fitting.
    expect(labelledFor(86, crossFit(30), 0, 20)).toBe(86);
  });

  it("a decided verdict needs nothing", () => {
    expect(block(pairs(12, 0, 30), source()).heldout).toMatchObject({
      verdict: "better",
      needed: null,
    });
  });

  it("with several steps, computes the pairs at the FDR-adjusted level the verdict reads", () => {
    const a = step({ name: "a", ab: block(pairs(12, 0, 30), source()) });
    const b = step({ name: "b", ab: block(pairs(4, 1, 20), source()) });
    const { steps, fdr } = applyFdr([a, b]);
    const needed = steps[1]!.ab!.heldout!.needed!;
    expect(fdr.level).toBeCloseTo(0.975, 12);
    expect(needed.alpha).toBeCloseTo(0.025, 12);
    expect(needed.pairs).toBe(
      pairedSampleSize({ delta: 0.15, sd: sdOf(4, 1, 20), alpha: 0.025 })!.pairs,
    );
    expect(needed.pairs).toBeGreaterThan(86);
    expect(steps[1]!.ab!.recommendation_reason).toContain(
      `(CI at 97.5%: FDR across 2 steps); 80% power at α 0.025 for Δ +0.150 needs ≈ ${needed.pairs} pairs`,
    );
    expect(steps[0]!.ab!.heldout!.needed).toBeNull();
  });

  it("older version-2 reports without it parse, and merging their shards computes it", () => {
    const old = (p: ReturnType<typeof pairs>): RunReport => {
      const ab = block(p, source({ n_labelled: 100 }));
      const heldout = { ...ab.heldout! };
      delete heldout.needed;
      delete heldout.test_fraction;
      delete heldout.min_test_examples;
      return report({ steps: [step({ name: "s", route: "ab", ab: { ...ab, heldout } })] });
    };
    const shards = viaJson([old(pairs(2, 1, 20)), old(pairs(2, 0, 20))]);
    for (const shard of shards) expect(parseRunReport(shard, "old.json").ok).toBe(true);
    const [merged] = mergeReports(shards);
    expect(parseRunReport(viaJson(merged), "merged.json").ok).toBe(true);
    const heldout = merged!.steps[0]!.ab!.heldout!;
    expect(heldout.verdict).toBe("inconclusive");
    // Without test_fraction the share of labelled examples in the test split is read from the report: 40 / 100.
    const expected = pairedSampleSize({ delta: 0.075, sd: sdOf(4, 1, 40) })!.pairs;
    expect(heldout.needed).toMatchObject({
      basis: "power",
      pairs: expected,
      labelled_examples: Math.ceil(expected / 0.4),
    });
    expect(merged!.steps[0]!.ab!.recommendation_reason).toContain(`needs ≈ ${expected} pairs`);
  });
});
