import { describe, expect, it } from "vitest";
import {
  CallLedger,
  createMetric,
  createSearchLog,
  defaultOptimizerParams,
  optimizers,
  planMipro,
  resolveSignature,
  scoreProgram,
  TIPS,
  TpeSampler,
  type CompileContext,
  type Example,
  type Program,
  type SearchLog,
} from "../../src/optimize/index.js";
import { seededRandom } from "../../src/stats/index.js";
import { example, ScriptedModel } from "./scripted-model.js";

const signature = resolveSignature({ name: "classify", signature: "text -> label" }, {})!;
const start: Program = { instructions: signature.instructions, signature, demos: [] };
const trainset = [
  example("t1", "apple hard red"),
  example("t2", "apple red round"),
  example("t3", "carrot orange long"),
  example("t4", "salmon pink river"),
  example("t5", "pear green soft"),
  example("t6", "leek green long"),
  example("t7", "trout river spotted"),
];
const devset = [
  example("d1", "apple red crisp"),
  example("d2", "carrot orange crunchy"),
  example("d3", "salmon pink fillet"),
  example("d4", "trout river fresh"),
  example("d5", "pear green ripe"),
  example("d6", "leek green soup"),
];
const REPLIES = {
  "You describe a dataset": "SUMMARY: short food names, each labelled with its kind.",
  "You describe language-model programs": "DESCRIPTION: labels a food by its kind.",
};
const PROPOSALS = ["Name the kind of food.", "Label by the first word. MAGIC", "Be brief."];

function context(
  lm: ScriptedModel,
  params: Partial<CompileContext["params"]> = {},
  limit = Infinity,
  valset: Example[] = devset,
): CompileContext & { log: SearchLog } {
  return {
    lm,
    ledger: new CallLedger(limit),
    metric: createMetric("exact_match"),
    model: "scripted-1",
    params: { ...defaultOptimizerParams, max_labeled_demos: 2, ...params },
    valset,
    concurrency: 2,
    step: "classify",
    log: createSearchLog(),
  };
}

const isProposal = (system: string | undefined) => system?.includes("instruction optimizer");

describe("MIPROv2 (mipro)", () => {
  it("proposes instructions from a prompt grounded on the data summary, program description, demos and a tip", async () => {
    const lm = new ScriptedModel(PROPOSALS, { replies: REPLIES });
    const ctx = context(lm);
    await optimizers.mipro.compile(start, trainset, ctx);
    const proposals = lm.requests.filter((r) => isProposal(r.system));
    // light, with demos: 6 / 2 = 3 instruction candidates, the original first, so 2 proposals.
    expect(proposals).toHaveLength(2);
    expect(ctx.log.instructions).toEqual([start.instructions, ...PROPOSALS.slice(0, 2)]);
    for (const request of proposals) {
      const prompt = request.messages[0]!.content;
      expect(prompt).toContain(`Dataset summary:\n${REPLIES["You describe a dataset"]}`);
      expect(prompt).toContain(
        `Program description:\n${REPLIES["You describe language-model programs"]}`,
      );
      expect(prompt).toMatch(/Task demos:\nDemo 1:\ntext: \w+ [\s\S]*\nlabel: \w+/);
      expect(prompt).toContain(`Basic instruction:\n${start.instructions}`);
      expect(prompt).toContain('Predict("text -> label")');
      expect(request.temperature).toBeGreaterThan(1);
    }
    const tips = Object.values(TIPS).filter((t) => t !== "");
    expect(
      proposals.some((r) => tips.some((tip) => r.messages[0]!.content.includes(`Tip:\n${tip}`))),
    ).toBe(true);
    // One observation call (7 examples, batches of 10), the summary, program and module descriptions, 2 proposals.
    expect(ctx.ledger.usage.calls.proposal).toBe(6);
  });

  it("explores both dimensions: the trial log holds several instructions and several demo sets", async () => {
    const lm = new ScriptedModel(PROPOSALS, { replies: REPLIES });
    const ctx = context(lm);
    await optimizers.mipro.compile(start, trainset, ctx);
    const trials = ctx.log.trials;
    expect(trials[0]).toMatchObject({ trial: 0, kind: "default", instruction: 0, demo_set: 0 });
    // light: 10 trials after the default; the valset (6) is no larger than a minibatch (35): all full.
    expect(trials.filter((t) => t.kind === "full")).toHaveLength(10);
    expect(trials.every((t) => t.n === devset.length)).toBe(true);
    expect(new Set(trials.map((t) => t.instruction)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(trials.map((t) => t.demo_set)).size).toBeGreaterThanOrEqual(3);
    expect(ctx.log.under_budget).toBe(false);
  });

  it("returns the best fully evaluated combination, not the last one tried", async () => {
    const lm = new ScriptedModel(PROPOSALS, { replies: REPLIES });
    // Seed 1: the last trial (instruction 0, demo set 2) scores 0.33, below the best.
    const ctx = context(lm, { seed: 1 });
    const program = await optimizers.mipro.compile(start, trainset, ctx);
    const full = ctx.log.trials.filter((t) => t.kind !== "minibatch");
    const top = Math.max(...full.map((t) => t.score));
    const first = full.find((t) => t.score === top)!;
    const last = full.at(-1)!;
    // The case must tell "best" from "last" apart for this test to mean anything.
    expect([last.instruction, last.demo_set]).not.toEqual([first.instruction, first.demo_set]);
    expect(ctx.log.best).toEqual({ instruction: first.instruction, demo_set: first.demo_set });
    expect(ctx.log.best_score).toBe(top);
    expect(program.instructions).toBe(ctx.log.instructions![first.instruction!]);
    const scorer = context(new ScriptedModel());
    expect((await scoreProgram(program, devset, scorer)).mean).toBe(top);
  });

  it("scores minibatches and fully evaluates the best average every minibatch_full_eval_steps trials", async () => {
    const lm = new ScriptedModel(PROPOSALS, { replies: REPLIES });
    const ctx = context(lm, { minibatch_size: 4, minibatch_full_eval_steps: 3 });
    const program = await optimizers.mipro.compile(start, trainset, ctx);
    const kinds = ctx.log.trials.map((t) => `${t.kind}:${t.n}`);
    // 10 minibatch trials of 4; a full evaluation (6) after trials 3, 6, 9 and 10.
    expect(kinds).toEqual([
      "default:6",
      ...["minibatch:4", "minibatch:4", "minibatch:4", "full:6"],
      ...["minibatch:4", "minibatch:4", "minibatch:4", "full:6"],
      ...["minibatch:4", "minibatch:4", "minibatch:4", "full:6"],
      ...["minibatch:4", "full:6"],
    ]);
    const full = ctx.log.trials.filter((t) => t.kind !== "minibatch");
    expect(ctx.log.best_score).toBe(Math.max(...full.map((t) => t.score)));
    const scorer = context(new ScriptedModel());
    expect((await scoreProgram(program, devset, scorer)).mean).toBe(ctx.log.best_score);
  });

  it("with minibatches, spends the last of the budget on a full evaluation rather than on one more minibatch", async () => {
    const params = { minibatch_size: 4, minibatch_full_eval_steps: 5 };
    const probe = context(new ScriptedModel(PROPOSALS, { replies: REPLIES }), params);
    await optimizers.mipro.compile(start, trainset, probe);
    const limit = probe.log.minimum_calls + 12;
    const lm = new ScriptedModel(PROPOSALS, { replies: REPLIES });
    const ctx = context(lm, params, limit);
    const program = await optimizers.mipro.compile(start, trainset, ctx);
    expect(lm.requests.length).toBeLessThanOrEqual(limit);
    const kinds = ctx.log.trials.map((t) => t.kind);
    // Stopped early (fewer than the 10 trials), and the last calls went to a full evaluation.
    expect(kinds.filter((k) => k === "minibatch").length).toBeLessThan(10);
    expect(kinds.at(-1)).toBe("full");
    expect(ctx.log.under_budget).toBe(false);
    const scorer = context(new ScriptedModel());
    expect((await scoreProgram(program, devset, scorer)).mean).toBe(ctx.log.best_score);
  });

  it("is seeded: the same seed gives the same trials, another seed other ones", async () => {
    const run = async (seed: number) => {
      const ctx = context(new ScriptedModel(PROPOSALS, { replies: REPLIES }), { seed });
      await optimizers.mipro.compile(start, trainset, ctx);
      return ctx.log.trials.map((t) => `${t.instruction}/${t.demo_set}`).join(" ");
    };
    expect(await run(3)).toBe(await run(3));
    expect(await run(3)).not.toBe(await run(4));
  });

  for (const limit of [0, 1, 10, 100]) {
    it(`never sends more than its budget of ${limit} calls, and says when it could not search`, async () => {
      const lm = new ScriptedModel(PROPOSALS, { replies: REPLIES });
      const ctx = context(lm, {}, limit);
      const program = await optimizers.mipro.compile(start, trainset, ctx);
      expect(lm.requests.length).toBeLessThanOrEqual(limit);
      expect(ctx.ledger.usage.total_calls).toBe(lm.requests.length);
      if (limit < ctx.log.minimum_calls) {
        expect(ctx.log.under_budget).toBe(true);
        expect(ctx.log.reason).toMatch(/minimum search/);
        expect(lm.requests).toHaveLength(0);
        expect(program).toBe(start);
      } else {
        expect(ctx.log.under_budget).toBe(false);
        expect(ctx.log.trials.length).toBe(11);
      }
    });
  }

  it("marks under_budget when the search stops before one trial per instruction candidate", async () => {
    const lm = new ScriptedModel(PROPOSALS, { replies: REPLIES });
    const probe = context(new ScriptedModel(PROPOSALS, { replies: REPLIES }));
    await optimizers.mipro.compile(start, trainset, probe);
    // Enough for the lower bound, not for what this trainset really costs (a teacher trace fails).
    const ctx = context(lm, {}, probe.log.minimum_calls);
    await optimizers.mipro.compile(start, trainset, ctx);
    expect(lm.requests.length).toBeLessThanOrEqual(probe.log.minimum_calls);
    expect(ctx.log.trials.filter((t) => t.kind !== "default").length).toBeLessThan(3);
    expect(ctx.log.under_budget).toBe(true);
  });
});

describe("MIPROv2 run sizes (DSPy 3.0 auto)", () => {
  const sizes = {
    numCandidates: null,
    numTrials: null,
    minibatchSize: 35,
    minibatchFullEvalSteps: 5,
    maxBootstrappedDemos: 4,
    maxLabeledDemos: 4,
  };
  it("uses DSPy's candidates, validation sizes and trial formula", () => {
    expect(planMipro({ ...sizes, auto: "light" }, 500)).toMatchObject({
      instructionCandidates: 3,
      demoCandidates: 6,
      numTrials: 10,
      valSize: 100,
      minibatch: true,
    });
    expect(planMipro({ ...sizes, auto: "medium" }, 500)).toMatchObject({
      instructionCandidates: 6,
      demoCandidates: 12,
      numTrials: 18,
      valSize: 300,
    });
    expect(planMipro({ ...sizes, auto: "heavy" }, 5000)).toMatchObject({
      instructionCandidates: 9,
      demoCandidates: 18,
      numTrials: 27,
      valSize: 1000,
    });
    const zeroShot = {
      ...sizes,
      maxBootstrappedDemos: 0,
      maxLabeledDemos: 0,
      auto: "light" as const,
    };
    expect(planMipro(zeroShot, 500)).toMatchObject({ instructionCandidates: 6, numTrials: 9 });
  });
  it("caps the validation size by the examples there are, and minibatches only above a minibatch", () => {
    expect(planMipro({ ...sizes, auto: "heavy" }, 20)).toMatchObject({
      valSize: 20,
      minibatch: false,
    });
    expect(planMipro({ ...sizes, auto: "light" }, 36)).toMatchObject({ minibatch: true });
    expect(planMipro({ ...sizes, auto: "light" }, 35)).toMatchObject({ minibatch: false });
  });
});

describe("TpeSampler", () => {
  it("samples at random first, then concentrates on the choices of the good trials", () => {
    const random = seededRandom(1);
    const tpe = new TpeSampler({ choices: [5, 4] }, random);
    const value = (p: number[]) => (p[0] === 3 ? 1 : 0) + (p[1] === 2 ? 0.5 : 0);
    for (let i = 0; i < 10; i++) {
      const p = tpe.suggest();
      tpe.tell({ params: p, value: value(p) });
    }
    tpe.tell({ params: [3, 2], value: 1.5 });
    const later: number[][] = [];
    for (let i = 0; i < 20; i++) {
      const p = tpe.suggest();
      later.push(p);
      tpe.tell({ params: p, value: value(p) });
    }
    // Random draws would pick choice 3 a fifth of the time (4 of 20).
    expect(later.filter((p) => p[0] === 3).length).toBeGreaterThanOrEqual(10);
  });
});
