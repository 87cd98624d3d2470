import { describe, expect, it } from "vitest";
import {
  buildAbBlock,
  compareWithBaseline,
  parseRunReport,
  withoutBaseline,
  type RunReport,
  type StepFingerprint,
  type StepReport,
  type VsBase,
} from "../../src/report/index.js";
import { renderMarkdownReport } from "../../src/render/index.js";
import { summarizePairs } from "../../src/stats/index.js";
import { report, step } from "../support/report-fixtures.js";

const fingerprint: StepFingerprint = {
  prompt: "aaaaaaaaaaaa",
  signature: "bbbbbbbbbbbb",
  training_data: "cccccccccccc",
  program: "dddddddddddd",
};

/** An evaluated step: held-out pairs by id, as the engine reports them. */
function evaluated(
  scores: Array<[id: string, traditional: number, optimized: number]>,
  overrides: Partial<StepReport> = {},
): StepReport {
  const ab = buildAbBlock({
    source: "evaluation",
    metric: "exact_match",
    pairs: scores.map(([, traditional, optimized]) => ({ traditional, optimized })),
    seed: 0,
    heldout: {
      split: "test",
      folds: null,
      n_labelled: 40,
      n_train: 20,
      n_validation: 8,
      floor: 10,
      parse_failures: { traditional: 0, optimized: 0 },
      ids: scores.map(([id]) => id),
    },
  });
  return step({ name: "classify", route: "optimized", ab, fingerprint, ...overrides });
}

const ids = Array.from({ length: 12 }, (_, i) => `ex-${i}`);
const base = report({
  steps: [
    evaluated(
      ids.map((id, i) => [id, i % 2, i % 3 === 0 ? 1 : 0]),
      { route: "traditional" },
    ),
  ],
});
const baseRun = { branch: "main", sha: "0123456789abcdef", reports: [base] };

const vsOf = (reports: RunReport[]) => reports[0]!.steps[0]!.vs_base;

describe("compareWithBaseline", () => {
  it("pairs the routed variants by id with the paired t rule and flags a changed prompt", () => {
    // Shuffled order: pairing is by id, not by position.
    const now = report({
      steps: [
        evaluated(
          [...ids].reverse().map((id) => [id, 0, Number(id.slice(3)) < 9 ? 1 : 0]),
          { fingerprint: { ...fingerprint, prompt: "eeeeeeeeeeee" } },
        ),
      ],
    });
    const [compared] = compareWithBaseline([now], baseRun);
    const expected = summarizePairs(
      ids.map((id, i) => ({ traditional: i % 2, optimized: Number(id.slice(3)) < 9 ? 1 : 0 })),
      { seed: 0 },
    );
    expect(compared!.steps[0]!.vs_base).toEqual({
      comparable: true,
      delta: expected.delta,
      ci95: expected.ci95,
      p_value: expected.p_value,
      se: expected.se,
      df: expected.df,
      // One comparable step: BH leaves q = p and the interval at 95%.
      q_value: expected.p_value,
      ci_fdr: expected.ci95,
      verdict: expected.ci95[0] > 0 ? "better" : expected.ci95[1] < 0 ? "worse" : "inconclusive",
      n: 12,
      route_now: "optimized",
      route_base: "traditional",
      changed: ["prompt"],
    });
    expect(expected.delta).toBeCloseTo(9 / 12 - 6 / 12);
    expect(compared!.baseline).toEqual({
      branch: "main",
      sha: "0123456789abcdef",
      schema_version: 2,
      provider: "sim",
      note: null,
    });
    expect(parseRunReport(JSON.parse(JSON.stringify(compared)), "r.json").ok).toBe(true);
  });

  it("takes the better variant per example for a step routed to A/B", () => {
    const now = report({
      steps: [
        evaluated(
          ids.map((id, i) => [id, i < 6 ? 1 : 0, i >= 6 ? 1 : 0]),
          { route: "ab" },
        ),
      ],
    });
    const vs = vsOf(compareWithBaseline([now], baseRun));
    expect(vs).toMatchObject({ comparable: true, route_now: "ab", changed: [] });
    expect(vs!.comparable && vs!.delta).toBeCloseTo(1 - 6 / 12);
  });

  it("is not comparable when the test examples differ, and says how", () => {
    const now = report({
      steps: [evaluated([...ids.slice(1), "new-1", "new-2", "new-3"].map((id) => [id, 1, 1]))],
    });
    expect(vsOf(compareWithBaseline([now], baseRun))).toEqual({
      comparable: false,
      reason: "test examples differ: 3 added, 1 removed",
    });
  });

  it("is not comparable across providers", () => {
    const now = report({
      provider: "anthropic",
      simulated: false,
      steps: [
        evaluated(
          ids.map((id) => [id, 1, 1]),
          { fingerprint: { ...fingerprint, training_data: "ffffffffffff" } },
        ),
      ],
    });
    expect(vsOf(compareWithBaseline([now], baseRun))).toEqual({
      comparable: false,
      reason: "base ran on sim, this run on anthropic",
      changed: ["training_data"],
    });
  });

  it("reads a schema version 1 base and names it too old to compare", () => {
    const v1 = report({
      schema_version: 1,
      steps: [
        step({ name: "classify", route: "ab", ab: { ...base.steps[0]!.ab!, heldout: undefined } }),
      ],
    });
    delete v1.steps[0]!.ab!.heldout;
    const now = report({ steps: [evaluated(ids.map((id) => [id, 1, 1]))] });
    const [compared] = compareWithBaseline([now], { ...baseRun, reports: [v1] });
    expect(compared!.baseline).toMatchObject({ schema_version: 1, note: null });
    expect(compared!.steps[0]!.vs_base).toEqual({
      comparable: false,
      reason: "base report is schema version 1: too old to compare (no held-out ids)",
    });
  });

  it("names a newer base version it cannot read, and a file the base never ran", () => {
    const now = report({ steps: [evaluated(ids.map((id) => [id, 1, 1]))] });
    const [newer] = compareWithBaseline([now], {
      ...baseRun,
      reports: [{ ...base, schema_version: 3 }],
    });
    expect(newer!.baseline!.note).toBe(
      "baseline report 1 is schema version 3, newer than this version reads",
    );
    expect(newer!.steps[0]!.vs_base).toBeUndefined();
    const [other] = compareWithBaseline([{ ...now, file: "pipelines/other.yaml" }], baseRun);
    expect(other!.baseline!.note).toBe(
      "The baseline of main (0123456) has no run of pipelines/other.yaml: the next run on main saves one.",
    );
  });

  it("leaves steps without held-out evidence on either side alone, and flags a new step", () => {
    const now = report({
      steps: [
        step({ name: "summarize" }),
        evaluated(
          ids.map((id) => [id, 1, 1]),
          { name: "new" },
        ),
      ],
    });
    const [compared] = compareWithBaseline([now], baseRun);
    expect(compared!.steps[0]!.vs_base).toBeUndefined();
    expect(compared!.steps[1]!.vs_base).toEqual({
      comparable: false,
      reason: "new step: not in the base run",
    });
  });

  it("withoutBaseline carries the note and compares nothing", () => {
    const [marked] = withoutBaseline([base], "main", "No baseline for main yet.");
    expect(marked!.baseline).toEqual({
      branch: "main",
      sha: null,
      schema_version: null,
      provider: null,
      note: "No baseline for main yet.",
    });
    expect(marked!.steps[0]!.vs_base).toBeUndefined();
  });

  it("holds the false discovery rate across a report's vs-base steps, as the A/B verdicts do", () => {
    // Two steps: one clearly worse than on the base branch, one a little better (p between 0.025 and 0.05).
    const worse = evaluated(
      ids.map((id) => [id, 0, 0]),
      { name: "a" },
    );
    const base = report({
      steps: [
        evaluated(
          ids.map((id) => [id, 1, 1]),
          { name: "a" },
        ),
        evaluated(
          ids.map((id, i) => [id, 0, i < 3 ? 1 : 0]),
          { name: "b" },
        ),
      ],
    });
    const slightly = evaluated(
      ids.map((id, i) => [id, 0, i < 7 ? 1 : 0]),
      { name: "b" },
    );
    const [compared] = compareWithBaseline([report({ steps: [worse, slightly] })], {
      ...baseRun,
      reports: [base],
    });
    const [a, b] = compared!.steps.map((s) => s.vs_base as Extract<VsBase, { comparable: true }>);
    expect(a!.verdict).toBe("worse");
    expect(b!.p_value!).toBeLessThan(0.05);
    // BH with both rejected: q of the larger p is p·2/2, and the FCR level 1 − 2·0.05/2 is 95%.
    expect(b!.q_value).toBeCloseTo(b!.p_value!, 12);
    expect(b!.ci_fdr).toEqual(b!.ci95);
    expect(b!.verdict).toBe("better");
    const md = renderMarkdownReport(compared ? [compared] : [], { marker: false });
    expect(md.split("\n").slice(0, 4)).toEqual([
      "> [!CAUTION]",
      expect.stringMatching(/^> \*\*\d+ steps? better/),
      ">",
      "> **vs main: 1 step worse, 1 better, 0 within noise \\(FDR 5%\\)**",
    ]);
  });
});
