import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  GITHUB_COMMENT_LIMIT,
  JOB_SUMMARY_LIMIT,
  renderMarkdownReport,
} from "../../src/render/index.js";
import { headingAnchor } from "../../src/render/docs-links.js";
import { recommendationLabel } from "../../src/render/format-values.js";
import { RecommendationSchema, type AbBlock, type Recommendation } from "../../src/report/index.js";
import { abBlock, report, step } from "../support/report-fixtures.js";

const projectRoot = path.resolve(import.meta.dirname, "../..");

/** The alert's first two lines: its kind and the verdict line. */
const alert = (md: string) => md.split("\n").slice(1, 3);
const withCi = (ci95: [number, number], overrides: Partial<AbBlock> = {}) =>
  abBlock({ ci95, delta: (ci95[0] + ci95[1]) / 2, ...overrides });

describe("the comment's verdict alert", () => {
  it("is CAUTION when any step is worse, whatever else is better", () => {
    const md = renderMarkdownReport([
      report({
        steps: [
          step({ name: "a", ab: withCi([0.1, 0.3]) }),
          step({ name: "b", ab: withCi([-0.3, -0.1]) }),
          step({ name: "c", ab: withCi([-0.1, 0.2]) }),
        ],
      }),
    ]);
    expect(alert(md)).toEqual([
      "> [!CAUTION]",
      "> **1 step better, 1 worse, 1 inconclusive \\(FDR 5%\\)**",
    ]);
  });

  it("is TIP when one is better and none worse; NOTE when none is either", () => {
    const tip = renderMarkdownReport([
      report({ steps: [step({ name: "a", ab: withCi([0.1, 0.3]) }), step({ name: "b" })] }),
    ]);
    expect(alert(tip)).toEqual([
      "> [!TIP]",
      "> **1 step better, 0 worse, 0 inconclusive \\(FDR 5%\\) · 1 not compared**",
    ]);
    const note = renderMarkdownReport([
      report({
        simulated: false,
        provider: "anthropic",
        steps: [
          step({ name: "a", ab: withCi([-0.1, 0.3]) }),
          step({ name: "b", ab: withCi([0, 0], { n: 4, insufficient_data: true }) }),
        ],
      }),
    ]);
    expect(alert(note)).toEqual([
      "> [!NOTE]",
      "> **0 steps better, 0 worse, 1 inconclusive \\(FDR 5%\\) · 1 needs more data**",
    ]);
    expect(note).not.toContain("Simulated");
  });

  it("is CAUTION and names the step when one failed", () => {
    const md = renderMarkdownReport([
      report({ status: "failed", steps: [step({ name: "draft", status: "failed" })] }),
    ]);
    expect(alert(md)).toEqual([
      "> [!CAUTION]",
      "> **No step compared: 1 of 1 step ran · failed: draft**",
    ]);
  });

  it("counts the steps of every report and links the run and the report JSON", () => {
    const md = renderMarkdownReport(
      [
        report({ steps: [step({ name: "a", ab: withCi([0.1, 0.3]) })] }),
        report({ workflow: "other", steps: [step({ name: "a", ab: withCi([0.2, 0.4]) })] }),
      ],
      {
        links: {
          run: "https://github.com/o/r/actions/runs/7",
          artifact: "https://github.com/o/r/actions/runs/7/artifacts/9",
        },
      },
    );
    // BH runs within each report: the rate is not claimed across pipelines.
    expect(alert(md)[1]).toBe(
      "> **2 steps better, 0 worse, 0 inconclusive \\(FDR 5% per pipeline\\)**",
    );
    expect(md).toContain(
      "> [workflow run](https://github.com/o/r/actions/runs/7) · [report JSON](https://github.com/o/r/actions/runs/7/artifacts/9) · [how to read this](",
    );
  });
});

describe("the job summary", () => {
  it("holds what the comment had to cut: no 65,536-character limit", () => {
    const steps = Array.from({ length: 40 }, (_, i) =>
      step({ name: `s${i}`, output_preview: "x".repeat(3_000) }),
    );
    const reports = [report({ steps })];
    const comment = renderMarkdownReport(reports, { sampleLength: 3_000 });
    const summary = renderMarkdownReport(reports, {
      sampleLength: 3_000,
      maxLength: JOB_SUMMARY_LIMIT,
    });
    expect(comment.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(comment).toContain("Details were cut");
    expect(summary.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    expect(summary).not.toContain("Details were cut");
  });
});

describe("paths and docs in the comment", () => {
  it("shows paths under the workspace relative to it", () => {
    const workspace = "/home/runner/work/app/app";
    const md = renderMarkdownReport(
      [
        report({
          file: `${workspace}/pipelines/a.yaml`,
          steps: [
            step({
              name: "draft",
              status: "failed",
              error: `prompt file 'prompts/x.md' does not exist (looked at ${workspace}/prompts/x.md)`,
            }),
          ],
        }),
      ],
      { workspace: `${workspace}/` },
    );
    expect(md).not.toContain("/home/runner");
    expect(md).toContain("### code_review · hybrid · pipelines/a.yaml");
    expect(md).toContain("(looked at prompts/x.md)");
  });

  it("links every recommendation to a heading that exists in docs/verdicts.md", () => {
    const doc = readFileSync(path.join(projectRoot, "docs/verdicts.md"), "utf8");
    const anchors = new Set(
      [...doc.matchAll(/^#+ (.+)$/gm)].map((m) => headingAnchor(m[1]!.trim())),
    );
    const recommendations = (RecommendationSchema as unknown as { enum: Recommendation[] }).enum;
    expect(recommendations.length).toBe(5);
    for (const rec of recommendations)
      expect(anchors, rec).toContain(headingAnchor(recommendationLabel(rec)));
    for (const verdict of ["better", "worse", "inconclusive", "not compared"])
      expect(anchors).toContain(headingAnchor(verdict));
  });
});
