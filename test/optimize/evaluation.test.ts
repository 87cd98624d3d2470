import { describe, expect, it } from "vitest";
import {
  CallLedger,
  createMetric,
  evaluatePaired,
  resolveSignature,
  traditionalPrompt,
  type Program,
} from "../../src/optimize/index.js";
import { buildAbBlock, recommend } from "../../src/report/index.js";
import { example, ScriptedModel } from "./scripted-model.js";
import type { LanguageModel, LmRequest } from "../../src/providers/index.js";

const signature = resolveSignature(
  {
    name: "classify",
    signature: {
      input_fields: [{ name: "text", template: "{{steps.read.result}}" }],
      output_fields: [{ name: "label" }],
    },
  },
  {},
)!;
const step = {
  name: "classify",
  prompt: [
    { type: "static", content: "Classify this item:" },
    { type: "previous_response", step: "read" },
  ],
};

describe("traditional arm", () => {
  it("puts the example's input where the template's step result would be", () => {
    expect(traditionalPrompt(step, signature, { text: "apple red" })).toBe(
      "Classify this item:\napple red",
    );
  });
  it("substitutes templates inside static text and appends inputs found nowhere", () => {
    const s = resolveSignature(
      { name: "c", signature: { input_fields: [{ name: "a", template: "{{x}}" }, { name: "b" }] } },
      {},
    )!;
    expect(
      traditionalPrompt(
        { name: "c", prompt: [{ type: "static", content: "Look at {{x}} now." }] },
        s,
        { a: "A", b: "B" },
      ),
    ).toBe("Look at A now.\nb:\nB");
  });
  it("uses the example's prompt whole for a step without explicit inputs", () => {
    const s = resolveSignature(
      { name: "c", signature: { output_fields: [{ name: "label" }] } },
      {},
    )!;
    expect(traditionalPrompt(step, s, { prompt: "the whole prompt" })).toBe("the whole prompt");
  });
});

describe("evaluatePaired and buildAbBlock", () => {
  it("scores both arms on the same inputs and reports the ab block", async () => {
    const lm = new ScriptedModel();
    const kinds = ["apple", "carrot", "salmon", "pear", "leek", "trout"];
    const devset = Array.from({ length: 36 }, (_, i) =>
      example(`d${i}`, `${kinds[i % 6]} item ${i}`),
    );
    const program: Program = {
      instructions: "x",
      signature,
      demos: kinds.map((k) => ({ ...example(k, `${k} sample`), augmented: false })),
    };
    const ledger = new CallLedger();
    const evaluation = await evaluatePaired({
      step,
      program,
      devset,
      lm,
      ledger,
      model: "m",
      metric: createMetric("exact_match"),
      concurrency: 3,
    });
    expect(evaluation.pairs).toHaveLength(36);
    expect(evaluation.pairs[0]).toEqual({
      traditional: 0,
      optimized: 1,
      latency_ms: { traditional: 100, optimized: 100 },
      cost_usd: { traditional: 0.001, optimized: 0.001 },
    });
    expect(ledger.usage.calls.ab).toBe(72);
    expect(lm.requests.every((r) => r.purpose === "evaluate")).toBe(true);
    const block = buildAbBlock({
      source: "evaluation",
      metric: "exact_match",
      pairs: evaluation.pairs,
      seed: 1,
    });
    expect(block).toMatchObject({
      metric_kind: "binary",
      delta: 1,
      n: 36,
      wins: 36,
      losses: 0,
      ties: 0,
      insufficient_data: false,
      recommendation: "use_optimized",
    });
    // Every difference is +1: the variance floor 1/(6n) gives se = √(1/6)/36 and CI [0.977, 1] (clipped), p ≈ 1e-42.
    expect(block.ci95[0]).toBeCloseTo(0.976978, 5);
    expect(block.ci95[1]).toBe(1);
    expect(block.p_value).toBeLessThan(1e-30);
    expect(block.traditional.cost_usd).toBeCloseTo(0.036, 12);
    expect(block.traditional).toMatchObject({
      mean: 0,
      latency_ms: 100,
      latency_p95_ms: 100,
      success_rate: 1,
    });
    expect(block.optimized.ci95[0]).toBeCloseTo(0.9036, 4);
  });
});

describe("recommend: the routing rule on the verdict's interval", () => {
  const summary = { delta: 0.3, ci95: [0.15, 0.45] as [number, number], p_value: 0.001, n: 40 };
  it("uses optimized when the CI's lower bound is above the threshold, whatever the cost, and states the cost", () => {
    expect(recommend({ summary, traditionalCostUsd: 1, optimizedCostUsd: 3 })).toEqual({
      recommendation: "use_optimized",
      reason: "Δ +0.300, CI [+0.150, +0.450], n=40: lower bound above threshold 0.1 (cost ×3.00)",
    });
  });
  it("keeps testing while the CI contains the threshold, even for a large point estimate", () => {
    expect(
      recommend({
        summary: { ...summary, delta: 0.4, ci95: [0.02, 0.78] },
        traditionalCostUsd: 1,
        optimizedCostUsd: 1,
      }).recommendation,
    ).toBe("keep_testing");
  });
  it("uses traditional when the CI's upper bound is below the threshold", () => {
    expect(
      recommend({
        summary: { ...summary, delta: 0.02, ci95: [-0.03, 0.07] },
        traditionalCostUsd: 1,
        optimizedCostUsd: 1,
      }).recommendation,
    ).toBe("use_traditional");
  });
  it("asks for more data below the floor and for examples with none", () => {
    expect(
      recommend({ summary: { ...summary, n: 9 }, traditionalCostUsd: 1, optimizedCostUsd: 1 })
        .recommendation,
    ).toBe("needs_more_data");
    expect(
      recommend({ summary: { ...summary, n: 0 }, traditionalCostUsd: 0, optimizedCostUsd: 0 })
        .recommendation,
    ).toBe("add_examples");
  });
});

describe("symmetric arms", () => {
  const literal = resolveSignature(
    {
      name: "classify",
      signature: {
        input_fields: [{ name: "text", template: "{{steps.read.result}}" }],
        output_fields: [{ name: "label", type: "literal", options: ["fruit", "fish"] }],
      },
    },
    {},
  )!;
  /** The step's own prompt answers in prose first and JSON when asked again; the program answers in markers. */
  const model = (traditionalRetry: string): LanguageModel & { requests: LmRequest[] } => {
    const requests: LmRequest[] = [];
    return {
      provider: "sim",
      simulated: true,
      requests,
      async complete(r) {
        requests.push(r);
        const optimized = r.system?.includes("[[ ##") === true;
        const retried = r.messages.length > 1 && !optimized;
        const text = optimized
          ? "[[ ## label ## ]]\nfruit\n\n[[ ## completed ## ]]"
          : retried
            ? traditionalRetry
            : "I think this one is a fruit, probably.";
        return {
          text,
          usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
          latencyMs: 10,
          model: r.model,
          costUsd: 0,
        };
      },
    };
  };
  const run = async (lm: LanguageModel) =>
    evaluatePaired({
      step,
      program: { instructions: "x", signature: literal, demos: [] },
      devset: [example("d1", "apple red")],
      lm,
      ledger: new CallLedger(),
      model: "m",
      metric: createMetric("exact_match"),
    });

  it("gives the traditional arm the same output adapter and JSON retry as the optimized arm", async () => {
    const lm = model('{"label": "fruit"}');
    const evaluation = await run(lm);
    expect(evaluation.pairs[0]).toMatchObject({ traditional: 1, optimized: 1 });
    const retry = lm.requests.find((r) => r.messages.length === 3)!;
    expect(retry.messages.at(-1)!.content).toBe(
      'Your previous answer could not be parsed. Respond only with a JSON object with the keys "label".',
    );
    expect(evaluation.traditional.parseFailures).toBe(0);
  });

  it("counts an arm's unreadable answers as format failures, apart from quality", async () => {
    const evaluation = await run(model("Still a fruit, I would say."));
    expect(evaluation.pairs[0]).toMatchObject({ traditional: 0, optimized: 1 });
    expect(evaluation.traditional.parseFailures).toBe(1);
    expect(evaluation.optimized.parseFailures).toBe(0);
  });
});

describe("repeats at temperature > 0", () => {
  it("runs each example r times with a rollout id each, and reports pass rates, pass^k and flaky examples", async () => {
    const requests: LmRequest[] = [];
    // The program answers "fruit" except on the second run of d2 (a flaky example); the prompt never does.
    const lm: LanguageModel = {
      provider: "sim",
      simulated: true,
      async complete(r) {
        requests.push(r);
        const optimized = r.system?.includes("[[ ##") === true;
        const label = optimized && r.rolloutId !== "d2#1" ? "fruit" : "fish";
        return {
          text: optimized ? `[[ ## label ## ]]\n${label}\n\n[[ ## completed ## ]]` : label,
          usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
          latencyMs: 10,
          model: r.model,
          costUsd: 0.001,
        };
      },
    };
    const devset = [example("d1", "apple red"), example("d2", "pear green")];
    const evaluation = await evaluatePaired({
      step,
      program: { instructions: "x", signature, demos: [] },
      devset,
      lm,
      ledger: new CallLedger(),
      model: "m",
      metric: createMetric("exact_match"),
      repeats: 3,
      temperature: 0.7,
    });
    expect(requests).toHaveLength(2 * 2 * 3);
    expect(requests.every((r) => r.temperature === 0.7)).toBe(true);
    expect(new Set(requests.map((r) => r.rolloutId))).toEqual(
      new Set(["d1#0", "d1#1", "d1#2", "d2#0", "d2#1", "d2#2"]),
    );
    expect(evaluation.pairs.map((p) => [p.traditional, p.optimized])).toEqual([
      [0, 1],
      [0, 2 / 3],
    ]);
    const block = buildAbBlock({
      source: "evaluation",
      metric: "exact_match",
      pairs: evaluation.pairs,
      seed: 0,
      heldout: {
        split: "test",
        folds: null,
        n_labelled: 2,
        n_train: 0,
        n_validation: 0,
        floor: 1,
        parse_failures: { traditional: 0, optimized: 0 },
        repeats: 3,
        pass_rates: evaluation.passRates!.map((r, i) => ({ id: devset[i]!.id, ...r })),
      },
    });
    expect(block.heldout).toMatchObject({
      repeats: 3,
      n: 2,
      pass_k: { traditional: 0, optimized: 0.5 },
      per_example: [
        { id: "d1", traditional_pass_rate: 0, optimized_pass_rate: 1, flaky: false },
        { id: "d2", traditional_pass_rate: 0, optimized_pass_rate: 2 / 3, flaky: true },
      ],
    });
  });
});
