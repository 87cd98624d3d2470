import { describe, expect, it } from "vitest";
import { calibrate } from "../../../bench/verdict-calibration.js";

// The seeded, smaller version of `npm run bench -- verdict` (issue 12): 40 data sets whose labels are
// drawn at random (nothing to learn) and 40 whose labels follow the text, through evaluation and hybrid
// mode under sim. A rule that reports selection scores, or a point estimate, calls far more null sets better.
describe("verdict calibration under sim", () => {
  it("calls at most 4 of 40 null data sets better and routes none of them optimized", async () => {
    const null40 = await calibrate("null", 40, { firstSeed: 1 });
    expect(null40.better).toBeLessThanOrEqual(4);
    expect(null40.routedOptimized).toBeLessThanOrEqual(4);
    expect(Math.abs(null40.meanDelta)).toBeLessThan(0.05);
    // Both evidence paths ran: a test split and k-fold cross-fitting.
    expect(null40.crossFit).toBeGreaterThan(0);
    expect(null40.crossFit).toBeLessThan(40);
    // Every inconclusive verdict says what it needs: the pairs for 80% power, or too small to chase.
    const open = null40.outcomes.filter((o) => o.verdict === "inconclusive");
    expect(open.length).toBeGreaterThan(30);
    for (const o of open) {
      expect(o.needed).toMatchObject({ basis: "power", power: 0.8 });
      if (o.needed!.too_small) expect(o.recommendationReason).toMatch(/is too small to chase/);
      else {
        expect(o.needed!.pairs!).toBeGreaterThan(o.n);
        expect(o.recommendationReason).toContain(`needs ≈ ${o.needed!.pairs!} pairs (have ${o.n})`);
      }
    }
    // On data with nothing to learn, most open verdicts are too small to chase.
    expect(null40.tooSmall).toBeGreaterThan(open.length / 2);
  }, 60_000);

  it("calls at least 32 of 40 signal data sets better and routes them optimized", async () => {
    const signal40 = await calibrate("signal", 40, { firstSeed: 100_001 });
    expect(signal40.better).toBeGreaterThanOrEqual(32);
    expect(signal40.routedOptimized).toBeGreaterThanOrEqual(32);
  }, 60_000);
});
