import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stepVerdict, type RunReport } from "../../src/report/index.js";

const projectRoot = path.resolve(import.meta.dirname, "../..");
const DEMO = "examples/hybrid-code-analyzer/hybrid_code_analyzer.yaml";
const run = promisify(execFile);

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "hp-comment-"));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** The demo as the README runs it (sim, fresh cache), then its comment as `report` prints it. */
async function demoComment(mode: string): Promise<{ report: RunReport; markdown: string }> {
  const json = path.join(scratch, `${mode}.json`);
  const cli = path.join(projectRoot, "bin/hybrid-pipeline.js");
  const env = { PATH: process.env.PATH ?? "" };
  await run(
    process.execPath,
    [cli, "run", DEMO, "--mode", mode, "--provider", "sim", "--seed", "7", "--quiet"].concat([
      "--cache-dir",
      path.join(scratch, `cache-${mode}`),
      "--report-json",
      json,
    ]),
    { cwd: projectRoot, env },
  );
  const { stdout } = await run(process.execPath, [cli, "report", json], { cwd: projectRoot, env });
  const report = JSON.parse(await readFile(json, "utf8")) as RunReport;
  return { report, markdown: stdout };
}

/** GitHub's markdown as CommonMark + GFM (alerts parse as blockquotes there). */
const toHtml = (markdown: string) =>
  micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  });

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .trim();

function tables(html: string): string[][][] {
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((t) =>
    [...t[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
      [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => text(c[1]!)),
    ),
  );
}

const MINUS = "\u2212";
const signed = (x: number) => {
  const fixed = Math.abs(x).toFixed(2);
  return x < 0 && fixed !== "0.00" ? `${MINUS}${fixed}` : `+${fixed}`;
};

describe.each(["hybrid", "evaluation"])("the demo's comment in %s mode, parsed as GFM", (mode) => {
  let report: RunReport;
  let markdown: string;
  let html: string;
  beforeAll(async () => {
    ({ report, markdown } = await demoComment(mode));
    html = toHtml(markdown);
  }, 60_000);

  it("opens with a blockquote alert whose kind follows the verdicts, and the verdict line", () => {
    const verdicts = report.steps.map(stepVerdict);
    const kind = verdicts.includes("worse")
      ? "CAUTION"
      : verdicts.includes("better")
        ? "TIP"
        : "NOTE";
    const afterMarker = html.replace(/^<!-- hybrid-pipeline:report -->\s*/, "");
    expect(afterMarker.startsWith("<blockquote>")).toBe(true);
    const firstParagraph = /^<blockquote>\s*<p>([\s\S]*?)<\/p>/.exec(afterMarker)![1]!;
    const count = (v: string) => verdicts.filter((x) => x === v).length;
    const better = count("better");
    expect(text(firstParagraph)).toMatch(
      new RegExp(
        `^\\[!${kind}\\]\\s+${better} steps? better, ${count("worse")} worse, ${count("inconclusive")} inconclusive \\(FDR 5%\\)`,
      ),
    );
    expect(text(afterMarker.split("</blockquote>")[0]!)).toContain("Simulated numbers");
    expect(verdicts.filter((v) => v !== "not_compared").length).toBeGreaterThanOrEqual(3);
  });

  it("gives every table row the header's column count", () => {
    const all = tables(html);
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const rows of all) for (const row of rows) expect(row.length).toBe(rows[0]!.length);
  });

  it("puts Δ and its CI, quality, n and per-call cost in each compared step's row", () => {
    const [main] = tables(html);
    const header = main![0]!;
    const cell = (row: string[], name: string) => row[header.findIndex((h) => h.startsWith(name))]!;
    const compared = report.steps.filter((s) => s.ab && s.ab.n > 0);
    expect(compared.length).toBeGreaterThanOrEqual(3);
    for (const step of compared) {
      const row = main!.find((r) => r[0] === step.name)!;
      const ab = step.ab!;
      const ci = ab.heldout?.ci_fdr ?? ab.ci95;
      expect(cell(row, "Δ")).toBe(`${signed(ab.delta)} [${signed(ci[0])}, ${signed(ci[1])}]`);
      expect(cell(row, "quality")).toBe(
        `${ab.traditional.mean.toFixed(2)} → ${ab.optimized.mean.toFixed(2)}`,
      );
      expect(cell(row, "n")).toMatch(new RegExp(`^${ab.n} (cross-fit|test)$`));
      expect(cell(row, "cost/call")).toMatch(/^\S+ → \S+$/);
      expect(cell(row, "verdict")).toBe(stepVerdict(step).replace(/_/g, " "));
      // Evaluation mode scores both variants but runs the step's own prompt: the route says so.
      if (mode === "evaluation") expect(cell(row, "route")).toBe("traditional (both evaluated)");
    }
    // A step below the floor claims no quality and no Δ, and says what it needs.
    for (const step of report.steps.filter((s) => stepVerdict(s) === "needs_more_data")) {
      const row = main!.find((r) => r[0] === step.name)!;
      expect([cell(row, "Δ"), cell(row, "quality")]).toEqual(["–", "–"]);
      expect(cell(row, "recommendation")).toMatch(/^needs more data · add ≥ \d+ examples$/);
    }
  });

  it("shows no absolute path", () => {
    expect(markdown).not.toContain(projectRoot);
    expect(markdown).not.toContain(scratch);
    expect(markdown).not.toMatch(/(^|[\s("'`[])\/(home|tmp|work|root|usr|var|Users|runner)\//m);
  });

  it("draws one bar series, one value per category, with a title saying what is drawn", () => {
    const chart = /<code class="language-mermaid">([\s\S]*?)<\/code>/.exec(html)![1]!;
    const lines = text(chart).split("\n");
    const bars = lines.filter((l) => /^\s*bar\b/.test(l));
    expect(bars).toHaveLength(1);
    const categories = /x-axis \[(.*)\]/.exec(text(chart))![1]!.match(/"[^"]*"/g)!;
    const values = /bar \[(.*)\]/.exec(bars[0]!)![1]!.split(",");
    expect(values.length).toBe(categories.length);
    expect(lines.find((l) => l.includes("title"))).toMatch(/traditional.*optimized/);
  });
});
