import { describe, expect, it } from "vitest";
import { emptyAbHistory, recordPair } from "../../../src/engine/hybrid/ab-history.js";
import { hybridSettings } from "../../../src/engine/hybrid/hybrid-settings.js";
import { routeStep, type RouteInput } from "../../../src/engine/hybrid/route-step.js";

const base = (overrides: Partial<RouteInput> = {}): RouteInput => ({
  mode: "hybrid",
  program: { kind: "compiled", devGain: 0.3, devN: 40 },
  history: emptyAbHistory(),
  settings: hybridSettings(undefined),
  ...overrides,
});

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
        base({ mode: "dspy_optimized", program: { kind: "compiled", devGain: -0.5, devN: 10 } }),
      ).route,
    ).toBe("optimized");
  });
  it("routes hybrid steps by the design's thresholds on the measured benefit", () => {
    const at = (devGain: number, settings = hybridSettings(undefined)) =>
      routeStep(base({ program: { kind: "compiled", devGain, devN: 40 }, settings })).route;
    expect(at(0.21)).toBe("optimized");
    expect(at(0.15)).toBe("ab");
    expect(at(0.15, hybridSettings({ ab_testing_enabled: false }))).toBe("optimized");
    expect(at(0.1)).toBe("traditional");
    expect(at(0.05, hybridSettings({ performance_threshold: 0.02 }))).toBe("optimized");
  });
  it("pools the dev-set gain with online A/B evidence", () => {
    let history = emptyAbHistory();
    for (let i = 0; i < 40; i++)
      history = recordPair(history, { traditional: 1, optimized: 0.9 }, 0.05);
    const routing = routeStep(
      base({ program: { kind: "compiled", devGain: 0.3, devN: 40 }, history }),
    );
    expect(routing.estimated_benefit).toBeCloseTo(0.1, 10);
    expect(routing.route).toBe("traditional");
  });
  it("follows a decided sequential test", () => {
    let history = emptyAbHistory();
    for (let i = 0; i < 60; i++)
      history = recordPair(history, { traditional: i % 5 === 0 ? 1 : 0, optimized: 1 }, 0.05);
    expect(history.decided).toBe("optimized");
    const routing = routeStep(
      base({ program: { kind: "compiled", devGain: 0.12, devN: 40 }, history }),
    );
    expect(routing.route).toBe("optimized");
    expect(routing.reason).toMatch(/^online A\/B decided for optimized after 60 pairs/);
  });
  it("A/B-tests everything when intelligent routing is off", () => {
    expect(
      routeStep(base({ settings: hybridSettings({ intelligent_routing: false }) })).route,
    ).toBe("ab");
  });
});
