import { describe, expect, it } from "vitest";
import { baselineLine, renderMarkdownReport, vsBaseCell } from "../../src/render/index.js";
import { report, step } from "../support/report-fixtures.js";

const compared = step({
  name: "classify",
  vs_base: {
    comparable: true,
    delta: 0.125,
    ci95: [0.021, 0.224],
    p_value: 0.02,
    n: 12,
    route_now: "optimized",
    route_base: "optimized",
    changed: ["prompt"],
  },
});

describe("vs base rendering", () => {
  it("shows Δ, its CI and what the change touched", () => {
    expect(vsBaseCell(compared)).toBe("+0.13 [+0.02, +0.22] · prompt changed");
    expect(
      vsBaseCell(
        step({
          vs_base: {
            comparable: true,
            delta: -0.3,
            ci95: [-0.5, -0.1],
            p_value: 0.01,
            n: 12,
            route_now: "traditional",
            route_base: "ab",
            changed: [],
          },
        }),
      ),
    ).toBe("\u22120.30 [\u22120.50, \u22120.10] · A/B → traditional");
  });

  it("says why a step is not comparable, shortened", () => {
    expect(
      vsBaseCell(
        step({
          vs_base: {
            comparable: false,
            reason: "base ran on sim, this run on anthropic",
            changed: ["training_data"],
          },
        }),
      ),
    ).toBe("— not comparable: base ran on sim, this run on anthropic · training data changed");
    expect(vsBaseCell(step())).toBe("–");
  });

  it("adds the column only when a step has vs_base, with the baseline line under the table", () => {
    const plain = renderMarkdownReport([report()], { marker: false });
    expect(plain).not.toContain("vs base");
    const md = renderMarkdownReport(
      [
        report({
          steps: [compared, step({ name: "other" })],
          baseline: {
            branch: "main",
            sha: "0123456789",
            schema_version: 2,
            provider: "sim",
            note: null,
          },
        }),
      ],
      { marker: false },
    );
    const table = md.split("\n").filter((l) => l.startsWith("|"));
    const cells = (line: string) => line.split(/(?<!\\)\|/).length;
    expect(table[0]).toMatch(/^\| step \| verdict \| Δ opt − trad \[CI\] \| vs base \| /);
    for (const line of table) expect(cells(line)).toBe(cells(table[0]!));
    expect(table[2]!.split(" | ")[3]).toBe("+0.13 [+0.02, +0.22] · prompt changed");
    expect(md).toContain(
      "vs base: against the latest run saved on main @ 0123456 \\(report v2, sim\\)",
    );
  });

  it("says how to get a baseline when there is none", () => {
    expect(
      baselineLine(
        report({
          baseline: {
            branch: "main",
            sha: null,
            schema_version: null,
            provider: null,
            note: "No baseline for main yet: the first run of this workflow on main (push) saves one.",
          },
        }),
      ),
    ).toBe(
      "vs base: No baseline for main yet: the first run of this workflow on main \\(push\\) saves one.",
    );
    expect(baselineLine(report())).toBeNull();
  });
});
