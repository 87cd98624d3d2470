import { describe, expect, it } from "vitest";
import { type RunReport } from "../../src/report/index.js";
import { GITHUB_COMMENT_LIMIT, renderMarkdownReport } from "../../src/render/index.js";
import { abBlock, report, step } from "../support/report-fixtures.js";

/** Model output that tries every way out of its place in the comment. */
const hostile = [
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  "<details open><summary>click</summary>",
  "</details></pre>",
  "@octocat and @github/security-team, cc @org-name/admins",
  "a | b | c",
  "`code` and ``` fenced ``` and ````",
  "line one\nline two\r\nline three",
  "[link](https://evil.example) ![img](https://evil.example/x.png)",
].join("\n");

/** Cells of a GFM table row: split at pipes no backslash escapes. */
const columns = (row: string) => row.split(/(?<!\\)\|/).length - 2;

function hostileReport(overrides: Partial<RunReport> = {}): RunReport {
  const names = ["<script>x</script> | @octocat", "multi\nline ``` name", "plain"];
  return report({
    workflow: "review <img onerror=alert(1)> @octocat",
    warnings: [hostile, "training data: @org/team <details>"],
    steps: names.map((name, i) =>
      step({
        name,
        route: i === 0 ? "ab" : "traditional",
        status: i === 1 ? "failed" : "success",
        decision: { route: "traditional", reason: hostile, estimated_benefit: null },
        fallback: i === 2 ? { reason: "dspy_unavailable", detail: hostile } : null,
        error: i === 1 ? hostile : null,
        output_preview: hostile,
        ...(i === 0 ? { ab: abBlock({ recommendation_reason: hostile }) } : {}),
      }),
    ),
    ...overrides,
  });
}

function expectInert(md: string): void {
  expect(md).not.toMatch(/<script|<img|<details open|<\/pre><\/|<summary>click/i);
  expect(md).not.toMatch(/@(?!\u200b)[A-Za-z0-9]/);
  expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
  const rows = md.split("\n").filter((line) => line.startsWith("|"));
  for (const row of rows) {
    expect(columns(row), row).toBe(9);
    expect(row, "a backtick would open a code span").not.toMatch(/(?<!\\)`/);
  }
}

describe("renderMarkdownReport with hostile model output", () => {
  it("leaves no live HTML, mention, link or table break in names, previews, errors, reasons and warnings", () => {
    const md = renderMarkdownReport([hostileReport()]);
    expectInert(md);
    const rows = md
      .split("\n")
      .filter((line) => line.startsWith("| ") && !line.startsWith("| step |"));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(
      /^\| &lt;script&gt;x&lt;\/script&gt; \\\| @\u200boctocat \| \*\*better\*\* \|.* \| A\/B \|/,
    );
    expect(rows[1]).toMatch(
      /^\| multi line \\`\\`\\` name \| not compared \|.* \| traditional \\\(failed\\\) \|/,
    );
    expect(md).toContain(
      'recommendation: &lt;script&gt;alert\\(1\\)&lt;/script&gt; &lt;img src=x onerror="alert\\(1\\)"&gt;',
    );
    expect(md).toContain(
      "\\[link\\]\\(https://evil.example\\) \\!\\[img\\]\\(https://evil.example/x.png\\)",
    );
    expect(md).toContain("- warning: training data: @\u200borg/team &lt;details&gt;");
    expect(md).toContain(
      '<pre>&lt;script&gt;alert(1)&lt;/script&gt;\n&lt;img src=x onerror="alert(1)"&gt;\n&lt;details open&gt;&lt;summary&gt;click&lt;/summary&gt;\n&lt;/details&gt;&lt;/pre&gt;\n' +
        "@\u200boctocat and @\u200bgithub/security-team, cc @\u200borg-name/admins\na | b | c\n`code` and ``` fenced ``` and ````\nline one\nline two\nline three\n" +
        "[link](https://evil.example) ![img](https://evil.example/x.png)</pre>",
    );
  });

  it("cuts a 100 KB output to the sample length and says how much was cut", () => {
    const big = `${hostile}\n${"y".repeat(100_000)}`;
    const md = renderMarkdownReport([
      report({ steps: [step({ name: "big", output_preview: big })] }),
    ]);
    expectInert(md);
    expect(md.length).toBeLessThan(5_000);
    expect(md).toContain(
      `y…</pre>\n<sub>cut: first 1,199 of ${big.length.toLocaleString("en-US")} characters shown</sub>`,
    );
  });

  it("stays within GitHub's limit with many 100 KB outputs, saying details were cut", () => {
    const big = `${hostile}\n${"z".repeat(100_000)}`;
    const steps = Array.from({ length: 60 }, (_, i) =>
      step({ name: `s${i} | @octocat`, output_preview: big, error: big }),
    );
    const md = renderMarkdownReport(
      [hostileReport({ steps, warnings: Array.from({ length: 200 }, () => big) })],
      { sampleLength: 20_000 },
    );
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toContain("Details were cut to fit GitHub's 65,536-character comment limit");
    expectInert(md);
    expect(md.split("\n").filter((l) => /^\| s\d+ /.test(l))).toHaveLength(60);
  });
});

describe("renderMarkdownReport summary parts", () => {
  it("puts the verdict in the alert, the file on the heading line and a one-series chart of held-out quality per compared step", () => {
    const md = renderMarkdownReport([
      report({
        steps: [
          step({ name: "analyze", route: "ab", ab: abBlock() }),
          step({
            name: "lint",
            metrics: {
              latency_ms: 1,
              input_tokens: 1,
              output_tokens: 1,
              cost_usd: 0,
              quality: 0.5,
            },
          }),
          step({ name: "notes" }),
        ],
      }),
    ]);
    expect(md.split("\n").filter((l) => l.startsWith("### "))).toEqual([
      "### code_review · hybrid · examples/code-review/code_review.yaml",
    ]);
    expect(md).toContain(
      "> [!TIP]\n> **1 step better, 0 worse, 0 inconclusive \\(FDR 5%\\) · 2 not compared**",
    );
    // One bar series: two series over the same categories are drawn on top of each other.
    expect(md).toContain(
      [
        "```mermaid",
        "xychart-beta horizontal",
        '  title "Held-out quality per step: traditional (trad) then optimized (opt), one bar each"',
        '  x-axis ["analyze (trad)", "analyze (opt)"]',
        '  y-axis "mean quality (0-1)" 0 --> 1',
        "  bar [0.61, 0.83]",
        "```",
      ].join("\n"),
    );
  });

  it("has no chart when no step was scored, and the simulated banner only under sim", () => {
    const unscored = renderMarkdownReport([
      report({ simulated: false, provider: "anthropic", steps: [step()] }),
    ]);
    expect(unscored).not.toContain("```mermaid");
    expect(unscored).not.toContain("Simulated numbers");
    expect(renderMarkdownReport([report({ steps: [step()] })])).toContain(
      "> [!NOTE]\n> **No step compared: 1 of 1 step ran**\n>\n> Simulated numbers:",
    );
  });
});
