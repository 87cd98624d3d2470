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

describe("report versions", () => {
  it("reads a version-1 report (no held-out block, no fdr) and renders it", async () => {
    const { renderMarkdownReport } = await import("../../src/render/index.js");
    const v1 = JSON.parse(
      JSON.stringify(
        report({
          schema_version: 1,
          steps: [
            step({ route: "ab", ab: abBlock({ pairs: [{ traditional: 0, optimized: 1 }] }) }),
          ],
        }),
      ),
    );
    expect(parseRunReport(v1, "old.json")).toEqual({ ok: true, report: v1 });
    const markdown = renderMarkdownReport([v1]);
    // Without held-out evidence, the version-1 block's own CI decides.
    expect(markdown).toContain(
      "| analyze | **better** | +0.22 [+0.12, +0.31] | 0.61 → 0.83 | 40 |",
    );
    expect(markdown).not.toContain("Held-out evidence only");
  });

  it("rejects a held-out block without its split and n", () => {
    const value = JSON.parse(
      JSON.stringify(report({ steps: [step({ route: "ab", ab: abBlock() })] })),
    );
    value.steps[0].ab.heldout = { verdict: "better" };
    const parsed = parseRunReport(value, "r.json");
    expect(parsed.ok ? [] : parsed.problems).toContain(
      "r.json: /steps/0/ab/heldout: must have required property 'split'",
    );
  });
});
