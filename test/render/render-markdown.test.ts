import { describe, expect, it } from "vitest";
import {
  GITHUB_COMMENT_LIMIT,
  REPORT_MARKER,
  renderMarkdownReport,
} from "../../src/render/index.js";
import { abBlock, report, step } from "../support/report-fixtures.js";
import { applyFdr, buildAbBlock } from "../../src/report/index.js";

describe("renderMarkdownReport", () => {
  it("renders the marker, the simulated banner, a verdict and one row per step", () => {
    const md = renderMarkdownReport([
      report({
        steps: [
          step({ name: "analyze", route: "optimized", ab: abBlock() }),
          step({
            name: "docs",
            fallback: { reason: "dspy_unavailable", detail: "no training data" },
            status: "fallback",
            metrics: {
              latency_ms: 1500,
              input_tokens: 1,
              output_tokens: 1,
              cost_usd: 0.002,
              quality: 0.66,
            },
          }),
        ],
      }),
    ]);
    const lines = md.split("\n");
    expect(lines[0]).toBe(REPORT_MARKER);
    expect(lines.slice(1, 4)).toEqual([
      "> [!TIP]",
      "> **1 step better, 0 worse, 0 inconclusive \\(FDR 5%\\) · 1 not compared**",
      ">",
    ]);
    expect(lines[4]).toMatch(/^> Simulated numbers: the offline `sim` provider/);
    expect(md).toContain("### code_review · hybrid · examples/code-review/code_review.yaml");
    // Per call: the arm's total cost over its 40 calls.
    expect(lines).toContain(
      "| analyze | **better** | +0.22 [+0.12, +0.31] | 0.61 → 0.83 | 40 | 1.2 s → 1.4 s | $0.00025 → $0.00032 | optimized | [use optimized](https://github.com/hybrid-pipeline/hybrid-pipeline/blob/v1/docs/verdicts.md#use-optimized) |",
    );
    expect(lines).toContain(
      "| docs | not compared | – | 0.66 | – | 1.5 s | $0.002 | traditional \\(fallback: dspy_unavailable — no training data\\) | [add examples](https://github.com/hybrid-pipeline/hybrid-pipeline/blob/v1/docs/verdicts.md#add-examples) |",
    );
    expect(md).toContain(
      "cache: 3 hits \\(memory 1, disk 2\\), 0 misses · LM calls: step 120, optimize 0, evaluate 0, judge 0 · spend $0.41 of $2.00",
    );
    expect(md).toContain("```mermaid\nxychart-beta");
  });

  it("leaves no live HTML, mention, or table break in adversarial model output", () => {
    const evil =
      "<img src=x onerror=alert(1)> @octocat @github/security | col | ``` </details> <script>x</script>";
    const md = renderMarkdownReport([
      report({
        steps: [
          step({
            name: "a|b @octocat <b>",
            output_preview: evil,
            error: "```\n</details>\n@admin",
          }),
        ],
      }),
    ]);
    const tableRow = md.split("\n").find((l) => l.startsWith("| a"))!;
    expect(tableRow).toBe(
      "| a\\|b @\u200boctocat &lt;b&gt; | not compared | – | – | – | 850 ms | $0.0054 | traditional | – |",
    );
    expect(tableRow.split(/(?<!\\)\|/).length).toBe(11);
    expect(md).not.toMatch(/<img|<script|<b>|@octocat|@github|@admin/);
    expect(md).toContain(
      "<pre>&lt;img src=x onerror=alert(1)&gt; @\u200boctocat @\u200bgithub/security | col | ``` &lt;/details&gt; &lt;script&gt;x&lt;/script&gt;</pre>",
    );
    expect(md.match(/<details>/g)).toHaveLength(1);
    expect(md.match(/<\/details>/g)).toHaveLength(1);
  });

  it("stays within GitHub's 65,536-character limit, cutting details first and saying so", () => {
    const huge = "x".repeat(100_000);
    const steps = Array.from({ length: 80 }, (_, i) =>
      step({ name: `step_${i}`, output_preview: huge }),
    );
    const md = renderMarkdownReport([report({ steps })], { sampleLength: 5000 });
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toContain("Details were cut to fit GitHub's 65,536-character comment limit");
    expect(md.split("\n").filter((l) => l.startsWith("| step_"))).toHaveLength(80);
  });

  it("drops table rows, counting them, when even the table does not fit", () => {
    const steps = Array.from({ length: 3000 }, (_, i) =>
      step({ name: `s${i}_${"n".repeat(40)}`, ab: abBlock() }),
    );
    const md = renderMarkdownReport([report({ steps })]);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const shown = md.split("\n").filter((l) => /^\| s\d+_/.test(l)).length;
    expect(shown).toBeGreaterThan(100);
    expect(md).toContain(`| … ${3000 - shown} more steps not shown |`);
  });

  it("omits the banner for real providers and the marker when asked", () => {
    const md = renderMarkdownReport([report({ simulated: false, provider: "anthropic" })], {
      marker: false,
    });
    expect(md).not.toContain(REPORT_MARKER);
    expect(md).not.toContain("Simulated");
    expect(md).not.toContain("(simulated)");
  });
});

describe("held-out verdicts in the comment", () => {
  it("says under the table where the numbers come from and that verdicts control the FDR across steps", () => {
    const heldout = {
      split: "test" as const,
      folds: null,
      n_labelled: 60,
      n_train: 24,
      n_validation: 12,
      floor: 10,
      parse_failures: { traditional: 0, optimized: 0 },
    };
    const pairs = (wins: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ traditional: 0, optimized: i < wins ? 1 : 0 }));
    const ab = (wins: number) =>
      buildAbBlock({
        source: "evaluation",
        metric: "exact_match",
        pairs: pairs(wins, 24),
        seed: 0,
        heldout,
      });
    const { steps, fdr } = applyFdr([
      step({ name: "a", route: "ab", ab: ab(12) }),
      step({ name: "b", route: "ab", ab: ab(1) }),
    ]);
    const markdown = renderMarkdownReport([report({ steps, fdr })]);
    expect(markdown).toContain(
      "Across 2 compared steps the false discovery rate is held at 5% (Benjamini–Hochberg; p and q in the details): intervals at 97.5%.",
    );
    expect(markdown).toMatch(
      /\| a \| \*\*better\*\* \| \+0\.50 \[\+0\.\d\d, \+0\.\d\d\] \| 0\.00 → 0\.50 \| 24 test \|/,
    );
    // p and q of the same test, in the step's details.
    expect(markdown).toMatch(
      /\n\*\*a\*\* — [^\n]*\nrecommendation: [^\n]*\np &lt;0\.001, q &lt;0\.001; success /,
    );
    expect(markdown).toContain("> **1 step better, 0 worse, 1 inconclusive \\(FDR 5%\\)**");
  });
});
