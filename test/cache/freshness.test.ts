import { describe, expect, it } from "vitest";
import { cachePolicyFor, isOptimizationFrequency, maxAgeFor } from "../../src/cache/index.js";

const DAY = 86_400_000;

describe("optimization frequency", () => {
  it("maps each frequency to a maximum age in milliseconds", () => {
    expect(maxAgeFor("daily")).toBe(DAY);
    expect(maxAgeFor("weekly")).toBe(7 * DAY);
    expect(maxAgeFor("monthly")).toBe(30 * DAY);
    expect(maxAgeFor("on_change")).toBe(Number.POSITIVE_INFINITY);
    expect(maxAgeFor("never")).toBe(Number.POSITIVE_INFINITY);
  });

  it("lets an explicit cache_enabled: false win over the default", () => {
    expect(cachePolicyFor({ cache_enabled: false })).toEqual({ enabled: false, maxAgeMs: 7 * DAY });
    expect(cachePolicyFor({})).toEqual({ enabled: true, maxAgeMs: 7 * DAY });
    expect(cachePolicyFor(undefined)).toEqual({ enabled: true, maxAgeMs: 7 * DAY });
    expect(cachePolicyFor({ cache_enabled: true, optimization_frequency: "daily" })).toEqual({
      enabled: true,
      maxAgeMs: DAY,
    });
  });

  it("recognises only the five frequencies", () => {
    expect(
      ["daily", "weekly", "monthly", "on_change", "never"].every(isOptimizationFrequency),
    ).toBe(true);
    expect(isOptimizationFrequency("hourly")).toBe(false);
    expect(isOptimizationFrequency("toString")).toBe(false);
  });
});
