import { describe, expect, it } from "vitest";
import {
  CallLedger,
  candidateSchedule,
  createMetric,
  defaultOptimizerParams,
  optimizers,
  resolveSignature,
  scoreProgram,
  chatMessages,
  type CompileContext,
  type Program,
} from "../../src/optimize/index.js";
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
];

function context(
  lm: ScriptedModel,
  params: Partial<CompileContext["params"]> = {},
  limit = Infinity,
): CompileContext {
  const ledger = new CallLedger(limit);
  return {
    lm,
    ledger,
    metric: createMetric("exact_match"),
    model: "scripted-1",
    params: { ...defaultOptimizerParams, ...params },
    valset: devset,
    concurrency: 2,
  };
}

describe("labeled_few_shot", () => {
  it("samples k labelled demos with the seed and makes no LM calls", async () => {
    const lm = new ScriptedModel();
    const program = await optimizers.labeled_few_shot.compile(
      start,
      trainset,
      context(lm, { max_labeled_demos: 3 }),
    );
    expect(program.demos).toHaveLength(3);
    expect(
      program.demos.every((d) => !d.augmented && trainset.some((e) => e.inputs === d.inputs)),
    ).toBe(true);
    expect(lm.requests).toHaveLength(0);
    const again = await optimizers.labeled_few_shot.compile(
      start,
      trainset,
      context(lm, { max_labeled_demos: 3 }),
    );
    expect(again.demos).toEqual(program.demos);
  });
});

describe("bootstrap_few_shot", () => {
  it("keeps the first passing teacher traces as augmented demos and stops once the slots are filled", async () => {
    const lm = new ScriptedModel();
    const ctx = context(lm, { max_bootstrapped_demos: 2, max_labeled_demos: 16 });
    const program = await optimizers.bootstrap_few_shot.compile(start, trainset, ctx);
    // t1 is "hard" (the teacher fails it); t2 and t3 pass, then the two slots are full.
    expect(program.demos.filter((d) => d.augmented).map((d) => d.inputs.text)).toEqual([
      "apple red round",
      "carrot orange long",
    ]);
    expect(program.demos.filter((d) => d.augmented).map((d) => d.outputs.label)).toEqual([
      "fruit",
      "vegetable",
    ]);
    // The other five fill the labelled slots (16 − 2 ≥ 5).
    expect(
      program.demos
        .filter((d) => !d.augmented)
        .map((d) => d.inputs.text)
        .sort(),
    ).toEqual([
      "apple hard red",
      "leek green long",
      "pear green soft",
      "salmon pink river",
      "trout river spotted",
    ]);
    expect(ctx.ledger.usage.calls.teacher).toBe(3);
    expect(lm.requests.every((r) => r.purpose === "optimize")).toBe(true);
  });

  it("never sends more than max_rounds × |trainset| teacher calls", async () => {
    const lm = new ScriptedModel();
    const hardOnly = trainset.map((e, i) => ({ ...e, inputs: { text: `hard ${i}` } }));
    const ctx = context(lm, { max_bootstrapped_demos: 4, max_rounds: 3 });
    const program = await optimizers.bootstrap_few_shot.compile(start, hardOnly, ctx);
    expect(ctx.ledger.usage.calls.teacher).toBe(3 * hardOnly.length);
    expect(program.demos.some((d) => d.augmented)).toBe(false);
    expect(lm.requests.slice(0, 3).map((r) => r.temperature)).toEqual([0, 0.701, 0.702]);
  });

  it("raises the dev score from 0 zero-shot to 1 with its demos", async () => {
    const lm = new ScriptedModel();
    const ctx = context(lm);
    const program = await optimizers.bootstrap_few_shot.compile(start, trainset, ctx);
    expect((await scoreProgram(start, devset, ctx)).mean).toBe(0);
    expect((await scoreProgram(program, devset, ctx)).mean).toBe(1);
  });
});

describe("bootstrap_few_shot_random_search", () => {
  it("follows DSPy's schedule: zero-shot, labelled-only, unshuffled, then seeded shuffles", () => {
    expect(candidateSchedule(2).map((c) => `${c.seed}:${c.build}`)).toEqual([
      "-3:zero_shot",
      "-2:labeled_only",
      "-1:bootstrap_unshuffled",
      "0:bootstrap_shuffled",
      "1:bootstrap_shuffled",
    ]);
  });
  it("keeps the best candidate on dev", async () => {
    const lm = new ScriptedModel();
    const ctx = context(lm, {
      num_candidate_programs: 2,
      max_bootstrapped_demos: 1,
      max_labeled_demos: 1,
    });
    const program = await optimizers.bootstrap_few_shot_random_search.compile(start, trainset, ctx);
    // Five candidates scored on 4 dev examples each, plus their teacher calls.
    expect(ctx.ledger.usage.calls.evaluation).toBe(5 * devset.length);
    expect((await scoreProgram(program, devset, ctx)).mean).toBeGreaterThan(0);
  });
});

describe("selection on validation (a mutation keeping the first or the last candidate fails here)", () => {
  it("random search returns the earliest candidate with the best validation score", async () => {
    const lm = new ScriptedModel();
    const ctx = context(lm, {
      num_candidate_programs: 6,
      max_bootstrapped_demos: 3,
      max_labeled_demos: 2,
    });
    const program = await optimizers.bootstrap_few_shot_random_search.compile(start, trainset, ctx);
    // The scoring passes, in order: requests whose input is a validation example, 4 per candidate.
    const isVal = (r: (typeof lm.requests)[number]) =>
      devset.some((d) => r.messages.at(-1)!.content.includes(d.inputs.text!));
    const scoring = lm.requests.filter(isVal);
    expect(scoring).toHaveLength(9 * devset.length);
    const candidates = Array.from({ length: 9 }, (_, c) => {
      const block = scoring.slice(c * devset.length, (c + 1) * devset.length);
      const demos = JSON.stringify(block[0]!.messages.slice(0, -1));
      return { demos, requests: block };
    });
    const meanOf = async (c: (typeof candidates)[number]) => {
      const again = await Promise.all(
        c.requests.map(async (r) => {
          const answer = (await new ScriptedModel().complete(r)).text;
          const d = devset.find((e) => r.messages.at(-1)!.content.includes(e.inputs.text!))!;
          return answer.includes(`\n${d.outputs.label}\n`) ? 1 : 0;
        }),
      );
      return again.reduce((a: number, b: number) => a + b, 0) / again.length;
    };
    const means = await Promise.all(candidates.map(meanOf));
    const best = means.indexOf(Math.max(...means));
    // The data make this a real choice: the first and the last candidates are not the best.
    expect(means[0]).toBeLessThan(means[best]!);
    expect(JSON.stringify(chatMessages(signature, program.demos, {}).slice(0, -1))).toBe(
      candidates[best]!.demos,
    );
    expect(best).toBeLessThan(8);
    expect(candidates[8]!.demos).not.toBe(candidates[best]!.demos);
  });
});

describe("instruction search (copro)", () => {
  // The best proposal is the middle one of three: keeping the first or the last attempt fails.
  it("copro keeps the proposed instruction that scores best on dev", async () => {
    const lm = new ScriptedModel(["Be brief.", "Label by the first word. MAGIC", "Think hard."]);
    const ctx = context(lm, { breadth: 3, depth: 1 });
    const program = await optimizers.copro.compile(start, trainset, ctx);
    expect(program.instructions).toBe("Label by the first word. MAGIC");
    expect(program.demos).toEqual([]);
    expect(ctx.ledger.usage.calls.proposal).toBe(3);
    expect((await scoreProgram(program, devset, ctx)).mean).toBe(1);
  });
});

describe("call budget", () => {
  for (const name of [
    "bootstrap_few_shot",
    "bootstrap_few_shot_random_search",
    "copro",
    "mipro",
  ] as const) {
    it(`${name} never sends more calls than the budget`, async () => {
      for (const limit of [0, 1, 5, 13]) {
        const lm = new ScriptedModel(["A.", "B. MAGIC"]);
        const ctx = context(lm, { num_candidate_programs: 3 }, limit);
        await optimizers[name].compile(start, trainset, ctx);
        expect(lm.requests.length).toBeLessThanOrEqual(limit);
        expect(ctx.ledger.usage.total_calls).toBe(lm.requests.length);
      }
    });
  }
});
