import { describe, expect, it } from "vitest";
import { createSeededRandom } from "../../../src/engine/run-context.js";
import {
  emptyAbHistory,
  planAbInput,
  recordPair,
  recordSingle,
} from "../../../src/engine/hybrid/ab-history.js";
import {
  confidenceRadius,
  initialSequentialState,
  likelihoodRatio,
  observeDifference,
  sequentialDecision,
} from "../../../src/engine/hybrid/msprt.js";
import { thompsonArm } from "../../../src/engine/hybrid/thompson.js";

describe("mSPRT", () => {
  it("computes the normal-mixture likelihood ratio by hand", () => {
    // n = 12, differences six 1s then six 0s: mean 0.5, sample variance (6 - 12 * 0.25) / 11 = 3/11, tau 0.1.
    let state = initialSequentialState;
    for (const d of [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]) state = observeDifference(state, d);
    const v = 3 / 11;
    const expected =
      Math.sqrt(v / (v + 12 * 0.01)) * Math.exp((144 * 0.01 * 0.25) / (2 * v * (v + 12 * 0.01)));
    expect(likelihoodRatio(state)).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(4.4738, 3);
    expect(state.pValue).toBeLessThanOrEqual(1 / expected);
  });

  it("keeps the false-positive rate under alpha when peeking after every pair (A/A test)", () => {
    const random = createSeededRandom(7);
    let falsePositives = 0;
    const runs = 400;
    for (let r = 0; r < runs; r++) {
      let state = initialSequentialState;
      for (let i = 0; i < 200; i++)
        state = observeDifference(state, (random() < 0.6 ? 1 : 0) - (random() < 0.6 ? 1 : 0));
      if (state.pValue <= 0.05) falsePositives++;
    }
    expect(falsePositives / runs).toBeLessThanOrEqual(0.05);
    expect(falsePositives).toBeGreaterThan(0);
  });
});

describe("online A/B allocation", () => {
  it("gives each arm at least its minimum share under Thompson sampling", () => {
    const random = createSeededRandom(3);
    const strong = { alpha: 500, beta: 1 };
    const weak = { alpha: 1, beta: 500 };
    let traditional = 0;
    for (let i = 0; i < 5000; i++)
      if (thompsonArm(weak, strong, random, 0.1) === "traditional") traditional++;
    expect(traditional / 5000).toBeGreaterThan(0.08);
    expect(traditional / 5000).toBeLessThan(0.12);
  });

  it("stops pairing once a clear winner is decided, spending far fewer extra calls than always-both", () => {
    const random = createSeededRandom(11);
    let history = emptyAbHistory();
    let extraCalls = 0;
    for (let i = 0; i < 200; i++) {
      const traditional = random() < 0.4 ? 1 : 0;
      const optimized = random() < 0.9 ? 1 : 0;
      const plan = planAbInput(history, random, 0.1);
      if (plan.kind === "both") {
        extraCalls++;
        history = recordPair(history, { traditional, optimized }, 0.05);
      } else {
        history = recordSingle(
          history,
          plan.arm,
          plan.arm === "optimized" ? optimized : traditional,
        );
      }
    }
    expect(history.decided).toBe("optimized");
    expect(extraCalls / 200).toBeLessThanOrEqual(0.25);
  });
});

describe("equivalence stop", () => {
  it("computes the always-valid confidence radius by hand", () => {
    let state = initialSequentialState;
    for (const d of [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]) state = observeDifference(state, d);
    const v = 3 / 11;
    const spread = v + 12 * 0.01;
    const expected = Math.sqrt(
      ((2 * v * spread) / (144 * 0.01)) * Math.log(Math.sqrt(spread / v) / 0.05),
    );
    expect(confidenceRadius(state, 0.05)).toBeCloseTo(expected, 12);
    expect(confidenceRadius(initialSequentialState, 0.05)).toBe(Number.POSITIVE_INFINITY);
  });

  it("stops paying for both variants when they tie, once the difference is surely inside the margin", () => {
    let history = emptyAbHistory();
    let pairs = 0;
    while (!history.decided && pairs < 500) {
      history = recordPair(history, { traditional: 1, optimized: 1 }, 0.05, 0.1);
      pairs++;
    }
    expect(history.decided).toBe("equivalent");
    // The floor of the variance (0.05) sets how fast a perfect tie is recognised: about 50 pairs for a ±0.1 margin.
    expect(pairs).toBeGreaterThan(30);
    expect(pairs).toBeLessThan(80);
    expect(sequentialDecision(history.sequential, 0.05, 0)).toBeNull();
    expect(planAbInput(history, createSeededRandom(1), 0.1)).toEqual({
      kind: "single",
      arm: "traditional",
    });
  });

  it("does not call a real difference equivalent", () => {
    const random = createSeededRandom(5);
    let state = initialSequentialState;
    for (let i = 0; i < 300; i++)
      state = observeDifference(state, (random() < 0.7 ? 1 : 0) - (random() < 0.5 ? 1 : 0));
    expect(sequentialDecision(state, 0.05, 0.1)).toBe("optimized");
  });
});
