import { describe, expect, it } from "vitest";
import { parseRunReport } from "../../src/report/index.js";
import { abBlock, report, step } from "../support/report-fixtures.js";

describe("parseRunReport", () => {
  it("accepts a complete report, A/B block included", () => {
    const value = JSON.parse(
      JSON.stringify(
        report({
          steps: [
            step({ route: "ab", ab: abBlock({ pairs: [{ traditional: 0, optimized: 1 }] }) }),
          ],
        }),
      ),
    );
    expect(parseRunReport(value, "r.json")).toEqual({ ok: true, report: value });
  });

  it("names the file and JSON path of every mismatch", () => {
    const value = JSON.parse(JSON.stringify(report({ steps: [step()] })));
    value.steps[0].route = "sideways";
    delete value.lm_calls;
    const parsed = parseRunReport(value, "shard-2.json");
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      "shard-2.json: /: must have required property 'lm_calls'",
      "shard-2.json: /steps/0/route: must be equal to one of the allowed values",
    ]);
  });
});
