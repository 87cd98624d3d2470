import { describe, expect, it } from "vitest";
import { resolveExecutionMode } from "../../../src/engine/hybrid/resolve-mode.js";

describe("resolveExecutionMode", () => {
  it("lets the run option win over everything", () => {
    expect(
      resolveExecutionMode(
        { hybrid_config: { mode: "hybrid" }, dspy_config: { optimization_enabled: true } },
        "evaluation",
      ),
    ).toEqual({
      mode: "evaluation",
      source: "run_option",
    });
  });
  it("prefers hybrid_config.mode over dspy_config flags", () => {
    expect(
      resolveExecutionMode({
        hybrid_config: { mode: "traditional" },
        dspy_config: { optimization_enabled: true },
      }),
    ).toEqual({
      mode: "traditional",
      source: "hybrid_config",
    });
  });
  it("reads optimization_enabled before hybrid_mode", () => {
    expect(
      resolveExecutionMode({ dspy_config: { optimization_enabled: true, hybrid_mode: true } }).mode,
    ).toBe("dspy_optimized");
    expect(resolveExecutionMode({ dspy_config: { hybrid_mode: true } }).mode).toBe("hybrid");
  });
  it("treats explicit false flags and a missing dspy_config as traditional", () => {
    expect(
      resolveExecutionMode({ dspy_config: { optimization_enabled: false, hybrid_mode: false } }),
    ).toEqual({ mode: "traditional", source: "default" });
    expect(resolveExecutionMode({})).toEqual({ mode: "traditional", source: "default" });
  });
});
