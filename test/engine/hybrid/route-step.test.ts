import { describe, expect, it } from "vitest";
import { emptyAbHistory, recordPair } from "../../../src/engine/hybrid/ab-history.js";
import { hybridSettings } from "../../../src/engine/hybrid/hybrid-settings.js";
import {
  routeStep,
  type HeldoutComparison,
  type RouteInput,
} from "../../../src/engine/hybrid/route-step.js";

const measured = (ci95: [number, number], n = 40): HeldoutComparison => ({
  kind: "measured",
  delta: (ci95[0] + ci95[1]) / 2,
  ci95,
  n,
  split: "test",
  folds: null,
  metric: "exact_match",
});

const base = (overrides: Partial<RouteInput> = {}): RouteInput => ({
  mode: "hybrid",
  program: { kind: "compiled", heldout: measured([0.2, 0.4]) },
  history: emptyAbHistory(),
  settings: hybridSettings(undefined),
  ...overrides,
});

const at = (ci95: [number, number], settings = hybridSettings(undefined)) =>
  routeStep(base({ program: { kind: "compiled", heldout: measured(ci95) }, settings }));

describe("routeStep", () => {
  it("forces traditional when the step says so, whatever the mode", () => {
    expect(routeStep(base({ stepMode: "traditional", mode: "dspy_optimized" }))).toMatchObject({
      route: "traditional",
      reason: "step sets execution_mode: traditional",
    });
  });
  it("runs traditional in traditional mode and for steps without a signature", () => {
    expect(routeStep(base({ mode: "traditional" })).route).toBe("traditional");
    expect(routeStep(base({ program: undefined }))).toMatchObject({
      route: "traditional",
      reason: "no signature: nothing to optimize",
    });
  });
  it("falls back with the program's reason when it is unavailable", () => {
    const routing = routeStep(
      base({
        mode: "dspy_optimized",
        program: { kind: "unavailable", reason: "dspy_unavailable", detail: "no training data" },
      }),
    );
    expect(routing).toMatchObject({
      route: "traditional",
      fallback: { reason: "dspy_unavailable", detail: "no training data" },
    });
  });
  it("runs the compiled program in dspy_optimized mode", () => {
    expect(
      routeStep(
        base({
          mode: "dspy_optimized",
          program: { kind: "compiled", heldout: measured([-0.6, -0.4]) },
        }),
      ).route,
    ).toBe("optimized");
  });
  it("routes optimized only when the CI's lower bound exceeds the threshold, and names the bound, n, split and metric", () => {
    expect(at([0.11, 0.5])).toMatchObject({
      route: "optimized",
      reason:
        "held-out Δ +0.305, 95% CI [+0.110, +0.500] on 40 test examples, exact_match: lower bound +0.110 > threshold 0.1",
      estimated_benefit: 0.305,
    });
    // A large point estimate with a wide CI is not enough.
    expect(at([0.05, 0.9]).route).toBe("ab");
    expect(at([0.05, 0.9], hybridSettings({ ab_testing_enabled: false })).route).toBe(
      "traditional",
    );
    expect(at([-0.2, 0.09])).toMatchObject({
      route: "traditional",
      reason: expect.stringMatching(/upper bound \+0\.090 < threshold 0\.1$/),
    });
    expect(at([0.03, 0.09], hybridSettings({ performance_threshold: 0.02 })).route).toBe(
      "optimized",
    );
  });
  it("says needs more data below the floor and does not route optimized on it", () => {
    const routing = routeStep(
      base({
        program: {
          kind: "compiled",
          heldout: { kind: "needs_more_data", n: 6, floor: 10, metric: "exact_match" },
        },
        settings: hybridSettings({ ab_testing_enabled: false }),
      }),
    );
    expect(routing).toMatchObject({ route: "traditional", estimated_benefit: null });
    expect(routing.reason).toMatch(/6 labelled examples \(< 10: needs more data\)/);
  });
  it("lets held-out evidence win over an online A/B result; the online result decides only in between", () => {
    let history = emptyAbHistory();
    for (let i = 0; i < 60; i++)
      history = recordPair(history, { traditional: i % 5 === 0 ? 1 : 0, optimized: 1 }, 0.05);
    expect(history.decided).toBe("optimized");
    const between = routeStep(
      base({ program: { kind: "compiled", heldout: measured([0.0, 0.3]) }, history }),
    );
    expect(between.route).toBe("optimized");
    expect(between.reason).toMatch(/online A\/B decided for optimized after 60 pairs/);
    const below = routeStep(
      base({ program: { kind: "compiled", heldout: measured([-0.3, 0.05]) }, history }),
    );
    expect(below.route).toBe("traditional");
  });
  it("A/B-tests everything when intelligent routing is off", () => {
    expect(
      routeStep(base({ settings: hybridSettings({ intelligent_routing: false }) })).route,
    ).toBe("ab");
  });
});
