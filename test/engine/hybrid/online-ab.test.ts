import { describe, expect, it } from "vitest";
import { resolveRunSeed } from "../../../src/engine/index.js";
import { canaryTripped } from "../../../src/engine/hybrid/online-block.js";
import { SimModel, type LanguageModel } from "../../../src/providers/index.js";
import { renderMarkdownReport } from "../../../src/render/index.js";
import {
  exampleDir,
  executions,
  findings,
  loopYaml,
  runIn,
  RUBRIC,
  singleYaml,
} from "./classify-fixture.js";

const JUDGE = `online_judge: { rubric: "${RUBRIC}" }`;

describe("cause 3: label metric, held-out gain +0.45, 160 unlabelled inputs in a loop", () => {
  it("keeps the optimized program without a judge and pays for no pairs", async () => {
    const dir = await exampleDir();
    const report = await runIn(dir, loopYaml(findings(160)));
    expect(executions(report)).toEqual({ optimized: 160 });
    expect(report.lm_calls).toMatchObject({ step: 160, judge: 0 });
  });

  it("makes the A/B route a canary without a judge: no pairs, and validity ties never discard the program", async () => {
    const dir = await exampleDir();
    const yaml = loopYaml(findings(160), "performance_threshold: 0.5");
    const first = await runIn(dir, yaml);
    // One arm per input: 160 step calls for 160 inputs, none on both arms, no judge.
    expect(first.lm_calls).toMatchObject({ step: 160, judge: 0 });
    const ran = executions(first);
    expect(ran.ab).toBeUndefined();
    expect(ran.optimized! / 160).toBeGreaterThan(0.1);
    expect(ran.optimized! / 160).toBeLessThan(0.3);
    // Both arms answer a valid label every time; the old validity A/B called that "equivalent" and routed traditional.
    const next = await runIn(dir, loopYaml(findings(160, "next"), "performance_threshold: 0.5"));
    expect(next.lm_calls).toMatchObject({ step: 160, judge: 0 });
    expect(executions(next).optimized).toBeGreaterThan(10);
  });

  it("decides by the judge when online_judge is configured, then stops paying for pairs", async () => {
    const dir = await exampleDir();
    const hybrid = `performance_threshold: 0.5\n${JUDGE}`;
    const first = await runIn(dir, loopYaml(findings(160), hybrid));
    const pairs = executions(first).ab!;
    // Each pair of distinct inputs costs one extra step call and one judge call (sent as purpose judge).
    expect(pairs).toBeGreaterThanOrEqual(10);
    expect(first.lm_calls.judge).toBe(pairs);
    expect(first.lm_calls.step).toBe(160 + pairs);
    const second = await runIn(dir, loopYaml(findings(160, "next"), hybrid));
    const third = await runIn(dir, loopYaml(findings(160, "last"), hybrid));
    // The always-valid test decided for optimized (the judge prefers its answers): optimized only, no pairs.
    expect(executions(third)).toEqual({ optimized: 160 });
    expect(third.lm_calls).toMatchObject({ step: 160, judge: 0 });
    expect(second.lm_calls.judge + first.lm_calls.judge).toBeLessThan(60);
  });
});

describe("independent online evidence", () => {
  it("counts each distinct input once: repeats, cache hits and re-runs add no pairs and no judge calls", async () => {
    const dir = await exampleDir();
    const distinct = findings(4);
    const repeated = Array.from({ length: 40 }, (_, i) => distinct[i % 4]!);
    const hybrid = `performance_threshold: 0.5\n${JUDGE}`;
    const first = await runIn(dir, loopYaml(repeated, hybrid));
    expect(first.lm_calls.judge).toBeGreaterThan(0);
    expect(first.lm_calls.judge).toBeLessThanOrEqual(4);
    expect(executions(first).ab ?? 0).toBeLessThanOrEqual(4);
    const again = await runIn(dir, loopYaml(repeated, hybrid), { seed: 2 });
    expect(again.lm_calls.judge).toBe(0);
    expect(executions(again).ab).toBeUndefined();
  });

  it("reports the scorer, the always-valid statistics and the distinct inputs of a top-level A/B step", async () => {
    const dir = await exampleDir();
    // A security finding: the zero-shot prompt answers "bug", the compiled program "security".
    const yaml = singleYaml(findings(2)[1]!, `performance_threshold: 0.5\n${JUDGE}`);
    const reports = [];
    for (const seed of [2, 3, 4]) reports.push(await runIn(dir, yaml, { seed }));
    const [first, second, third] = reports.map((r) => r.steps[0]!);
    // The first input runs both arms (flat posterior): a judged pair, with the mSPRT's always-valid statistics.
    expect(first!.route).toBe("ab");
    expect(first!.decision.reason).toMatch(
      /both variants ran; kept optimized \(pairwise judge claude-sonnet-4-6 0\.00 vs 1\.00\)/,
    );
    expect(first!.online).toMatchObject({
      scorer: "judge",
      distinct_inputs: 1,
      repeats_ignored: 0,
      decided: null,
      always_valid: {
        method: "mSPRT",
        p_value: 1,
        confidence_sequence: [-1, 1],
        alpha: 0.05,
        n: 1,
      },
    });
    expect(first!.ab).toMatchObject({ source: "online", n: 1, p_value: 1, ci95: [-1, 1] });
    expect(first!.ab!.recommendation).toBe("keep_testing");
    expect(reports[0]!.lm_calls.judge).toBe(1);
    // Re-runs of the same input (the LM-call cache answers them) add nothing.
    expect(second!.online).toMatchObject({ distinct_inputs: 1, repeats_ignored: 1 });
    expect(third!.online).toMatchObject({ distinct_inputs: 1, repeats_ignored: 2 });
    expect(third!.ab!.n).toBe(1);
    expect(reports[1]!.lm_calls.judge + reports[2]!.lm_calls.judge).toBe(0);
    // The comment labels the online statistics as always-valid and says which scorer decided.
    const markdown = renderMarkdownReport([reports[2]!]);
    expect(markdown).toContain(
      "| classify_finding | needs more data | +1.00 [−1.00, +1.00] always-valid | 0.00 → 1.00 | 1 online |",
    );
    expect(markdown).toContain(
      "online scorer: judge \\(pairwise judge claude-sonnet-4-6\\) · 1 distinct input\\(s\\), 2 repeat\\(s\\) ignored · always-valid \\(mSPRT\\) p 1.000, 95% confidence sequence \\[−1.00, \\+1.00\\]",
    );
    expect(markdown).toContain("· seed 4");
  });

  it("says a canary decided when no judge is configured, with its watch per arm and no A/B block", async () => {
    const dir = await exampleDir();
    const report = await runIn(dir, singleYaml(findings(1)[0]!, "performance_threshold: 0.5"));
    const step = report.steps[0]!;
    expect(step.online).toMatchObject({
      scorer: "canary",
      distinct_inputs: 1,
      canary: { share: 0.2, tripped: false },
    });
    expect(step.online!.canary!.traditional.n + step.online!.canary!.optimized.n).toBe(1);
    expect(step.online!.always_valid).toBeUndefined();
    // No online pairs: the step's A/B block is the held-out comparison it was routed on.
    expect(step.ab).toMatchObject({ source: "evaluation", heldout: { split: expect.any(String) } });
    expect(step.decision.reason).toMatch(
      /canary chose (traditional|optimized) \(no online judge: no pairs paid for\)/,
    );
  });
});

describe("the run's seed", () => {
  it("comes from --seed, else the CI run id and attempt, else a random draw", () => {
    const draw = () => 0.5;
    expect(resolveRunSeed({ flag: 42, runId: "7", draw })).toEqual({ value: 42, source: "option" });
    const a = resolveRunSeed({ runId: "1001", runAttempt: "1", draw });
    const b = resolveRunSeed({ runId: "1002", runAttempt: "1", draw });
    const retry = resolveRunSeed({ runId: "1001", runAttempt: "2", draw });
    expect(a.source).toBe("run_id");
    expect(new Set([a.value, b.value, retry.value]).size).toBe(3);
    expect(resolveRunSeed({ runId: "1001", runAttempt: "1", draw })).toEqual(a);
    expect(resolveRunSeed({ draw })).toEqual({ value: 2 ** 31, source: "random" });
  });

  it("drives the online allocation: another seed draws differently, the same seed repeats the routes", async () => {
    const yaml = loopYaml(findings(60), "performance_threshold: 0.5");
    const runs = await Promise.all(
      [5, 5, 6].map(async (seed) => runIn(await exampleDir(), yaml, { seed, cache: false })),
    );
    const [a, same, other] = runs.map((r) => ({ seed: r.seed, performance: r.performance }));
    expect(a).toEqual(same);
    expect(a!.seed).toBe(5);
    expect(other!.performance).not.toEqual(a!.performance);
    expect(runs[0]!.seed_source).toBe("option");
  });
});

describe("the canary's guardrail", () => {
  it("trips only when the optimized arm's bad-answer rate is surely higher", () => {
    const tally = (n: number, bad: number) => ({ n, failed: 0, invalid: bad });
    expect(canaryTripped({ traditional: tally(40, 0), optimized: tally(12, 9) })).toBe(true);
    expect(canaryTripped({ traditional: tally(40, 4), optimized: tally(12, 2) })).toBe(false);
    // Too few executions to say anything.
    expect(canaryTripped({ traditional: tally(40, 0), optimized: tally(9, 9) })).toBe(false);
  });

  it("stops the optimized program when it answers outside the signature far more often", async () => {
    const sim = new SimModel();
    // The compiled program (ChatAdapter markers) answers a label that is not an option.
    const invalidProgram: LanguageModel = {
      provider: "sim",
      simulated: true,
      async complete(request, signal) {
        const response = await sim.complete(request, signal);
        if (request.purpose !== "step" || !request.system?.includes("[[ ##")) return response;
        return { ...response, text: "[[ ## category ## ]]\nunclear\n\n[[ ## completed ## ]]" };
      },
    };
    const dir = await exampleDir();
    const report = await runIn(dir, loopYaml(findings(200), "performance_threshold: 0.5"), {
      lm: invalidProgram,
    });
    const ran = executions(report);
    expect(report.lm_calls.step).toBe(200);
    // At least the 10 canary runs it takes to trip; after that, the traditional prompt only.
    expect(ran.optimized).toBeGreaterThanOrEqual(10);
    expect(ran.optimized).toBeLessThan(20);
    const next = await runIn(dir, loopYaml(findings(50, "next"), "performance_threshold: 0.5"), {
      lm: invalidProgram,
    });
    expect(executions(next)).toEqual({ traditional: 50 });
  });
});
