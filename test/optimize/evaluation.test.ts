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
      ci95: [1, 1],
      n: 36,
      wins: 36,
      losses: 0,
      ties: 0,
      insufficient_data: false,
      recommendation: "use_optimized",
    });
    expect(block.p_value).toBeCloseTo(2 / 2 ** 36, 20);
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

describe("recommend", () => {
  const summary = {
    delta: 0.15,
    ci95: [0.05, 0.25] as [number, number],
    p_value: 0.01,
    n: 40,
    insufficient_data: false,
  };
  it("uses optimized for a significant +0.1 at ≤ 1.2× cost", () => {
    expect(
      recommend({ summary, traditionalCostUsd: 1, optimizedCostUsd: 1.2 }).recommendation,
    ).toBe("use_optimized");
    expect(
      recommend({ summary, traditionalCostUsd: 1, optimizedCostUsd: 1.3 }).recommendation,
    ).toBe("needs_more_data");
  });
  it("keeps testing a large gain that is not significant", () => {
    expect(
      recommend({
        summary: { ...summary, p_value: 0.2 },
        traditionalCostUsd: 1,
        optimizedCostUsd: 1,
      }).recommendation,
    ).toBe("keep_testing");
  });
  it("uses traditional when it is much cheaper at equal quality, else hybrid", () => {
    const same = { ...summary, delta: 0.02, p_value: 0.6 };
    expect(
      recommend({ summary: same, traditionalCostUsd: 0.7, optimizedCostUsd: 1 }).recommendation,
    ).toBe("use_traditional");
    expect(
      recommend({ summary: same, traditionalCostUsd: 0.9, optimizedCostUsd: 1 }).recommendation,
    ).toBe("keep_testing");
  });
  it("asks for more data below 30 pairs and for examples with none", () => {
    expect(
      recommend({
        summary: { ...summary, insufficient_data: true },
        traditionalCostUsd: 1,
        optimizedCostUsd: 1,
      }).recommendation,
    ).toBe("needs_more_data");
    expect(
      recommend({ summary: { ...summary, n: 0 }, traditionalCostUsd: 0, optimizedCostUsd: 0 })
        .recommendation,
    ).toBe("add_examples");
  });
});

describe("recommend over the cost bound", () => {
  it("says a significant gain is held back by its cost", () => {
    const summary = {
      delta: 0.45,
      ci95: [0.3, 0.6] as [number, number],
      p_value: 0.0001,
      n: 40,
      insufficient_data: false,
    };
    expect(recommend({ summary, traditionalCostUsd: 1, optimizedCostUsd: 3 })).toEqual({
      recommendation: "needs_more_data",
      reason:
        "quality +0.450 (p=0.00010) but cost ×3.00 exceeds the 1.2× cost bound; fewer demos would cut the cost",
    });
  });
});
