import { describe, expect, it } from "vitest";
import {
  CallLedger,
  compileWithHeldout,
  createMetric,
  evaluatePaired,
  fromDspyJson,
  resolveSignature,
  toDspyJson,
  type CompiledProgram,
  type Example,
  type Program,
} from "../../src/optimize/index.js";
import { defaultOptimizerParams } from "../../src/optimize/index.js";
import type { LanguageModel, LmRequest, LmResponse } from "../../src/providers/index.js";

const signature = resolveSignature(
  {
    name: "classify",
    signature: { input_fields: [{ name: "text" }], output_fields: [{ name: "label" }] },
  },
  {},
)!;
const step = { name: "classify", prompt: [{ type: "static" as const, content: "Classify:" }] };
const program: Program = { instructions: "OPTIMIZED", signature, demos: [] };

const SECRET = "hunter2-secret-value";

/**
 * The traditional arm (the step's prompt) always answers "fruit"; the optimized arm (the program's
 * instructions) answers wrongly, with a secret and a long tail, on inputs that contain "bad".
 */
class TwoArmModel implements LanguageModel {
  readonly provider = "sim" as const;
  readonly simulated = true;
  async complete(request: LmRequest): Promise<LmResponse> {
    const input = request.messages.at(-1)!.content;
    const optimized = (request.system ?? "").includes("OPTIMIZED");
    const text =
      optimized && input.includes("bad")
        ? `vegetable, says key ${SECRET} and sk-ant-api03-abcdefghijklmnopqrstuv ${"z".repeat(400)}`
        : "fruit";
    return {
      text,
      usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
      latencyMs: 1,
      model: "m",
      costUsd: 0,
    };
  }
}

const ex = (id: string, text: string): Example => ({
  id,
  inputs: { text },
  outputs: { label: "fruit" },
});

const evaluate = (devset: Example[]) =>
  evaluatePaired({
    step,
    program,
    devset,
    lm: new TwoArmModel(),
    ledger: new CallLedger(),
    model: "m",
    metric: createMetric("exact_match"),
    secrets: [SECRET],
  });

describe("regressed examples of held-out scoring", () => {
  it("keeps examples the optimized arm failed and the traditional passed, answers redacted and cut to 300", async () => {
    const evaluation = await evaluate([
      ex("ok-1", "apple"),
      ex("bad-1", "bad apple"),
      ex("ok-2", "pear"),
      ex("bad-2", "bad pear"),
    ]);
    expect(evaluation.regressions.map((r) => r.id)).toEqual(["bad-1", "bad-2"]);
    const [first] = evaluation.regressions;
    expect(first!.traditional).toEqual({ answer: "fruit", score: 1 });
    expect(first!.optimized.score).toBe(0);
    expect(first!.optimized.answer).toMatch(/^vegetable, says key \*\*\* and \*\*\* z+…$/);
    expect([...first!.optimized.answer]).toHaveLength(300);
    expect(first!.input).toBeUndefined();
  });

  it("keeps at most 5, and an input excerpt for an example without an id of its own", async () => {
    const devset = Array.from({ length: 7 }, (_, i) =>
      ex(i === 0 ? "sha256:0123456789abcdef" : `bad-${i}`, `bad input number ${i}`),
    );
    const evaluation = await evaluate(devset);
    expect(evaluation.regressions.map((r) => r.id)).toEqual([
      "sha256:0123456789abcdef",
      "bad-1",
      "bad-2",
      "bad-3",
      "bad-4",
    ]);
    expect(evaluation.regressions[0]!.input).toBe("bad input number 0");
  });

  it("keeps at most 5 over all cross-fitting folds in the held-out record, which survives the cache's JSON", async () => {
    const folds = [0, 1, 2].map((f) => ({
      train: { trainset: [], valset: [] },
      heldout: [ex(`ok-${f}`, "apple"), ex(`bad-${f}a`, "bad a"), ex(`bad-${f}b`, "bad b")],
    }));
    const ledger = new CallLedger();
    const { heldout } = await compileWithHeldout(
      { kind: "cross_fit", ship: { trainset: [], valset: [] }, folds },
      9,
      4,
      {
        ctx: {
          lm: new TwoArmModel(),
          ledger,
          metric: createMetric("exact_match"),
          model: "m",
          params: defaultOptimizerParams,
        },
        ledger,
        step,
        baseline: { ...program, instructions: "zero-shot" },
        compile: async () => program,
        secrets: [SECRET],
      },
    );
    expect(heldout.pairs).toHaveLength(9);
    expect(heldout.regressions!.map((r) => r.id)).toEqual([
      "bad-0a",
      "bad-0b",
      "bad-1a",
      "bad-1b",
      "bad-2a",
    ]);
    const compiled: CompiledProgram = {
      program,
      meta: {
        step: "classify",
        signature: "text -> label",
        optimizer: "labeled_few_shot",
        params: defaultOptimizerParams,
        model: "m",
        metric: "exact_match",
        n_train: 0,
        n_validation: 0,
        heldout,
        cache_key: "k",
        created_at: "",
        lm_calls: ledger.usage,
        simulated: true,
      },
    };
    const json = JSON.parse(JSON.stringify(toDspyJson(compiled))) as unknown;
    expect(JSON.stringify(json)).not.toContain(SECRET);
    expect(fromDspyJson(json)!.meta.heldout.regressions).toEqual(heldout.regressions);
  });

  it("reads a cached program from before regressions were recorded", () => {
    const json = toDspyJson({
      program,
      meta: {
        step: "classify",
        signature: "text -> label",
        optimizer: "labeled_few_shot",
        params: defaultOptimizerParams,
        model: "m",
        metric: "exact_match",
        n_train: 0,
        n_validation: 0,
        heldout: {
          split: "test",
          folds: null,
          n_labelled: 1,
          min_labelled: 1,
          pairs: [{ traditional: 1, optimized: 0 }],
          ids: ["a"],
          traditional: { errors: {}, parseFailures: 0 },
          optimized: { errors: {}, parseFailures: 0 },
          repeats: 1,
        },
        cache_key: "k",
        created_at: "",
        lm_calls: new CallLedger().usage,
        simulated: true,
      },
    });
    const read = fromDspyJson(JSON.parse(JSON.stringify(json)));
    expect(read!.meta.heldout.pairs).toHaveLength(1);
    expect(read!.meta.heldout.regressions).toBeUndefined();
  });
});
