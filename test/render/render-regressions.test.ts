import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import { describe, expect, it } from "vitest";
import { regressionDetails } from "../../src/render/index.js";
import type { Regression, StepReport } from "../../src/report/index.js";

function step(regressions: Regression[] | undefined, name = "classify"): StepReport {
  return {
    name,
    type: "claude",
    route: "traditional",
    decision: { route: "traditional", reason: "evaluation mode", estimated_benefit: null },
    status: "success",
    fallback: null,
    error: null,
    metrics: { latency_ms: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, quality: null },
    ...(regressions ? { regressions } : {}),
  };
}

const regression = (id: string, traditional: string, optimized: string): Regression => ({
  id,
  traditional: { answer: traditional, score: 1 },
  optimized: { answer: optimized, score: 0 },
});

/** GitHub-flavoured HTML of the markdown, raw HTML kept (as GitHub keeps `<details>` and `<pre>`). */
const html = (lines: string[]) =>
  micromark(lines.join("\n"), {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  });

describe("regressionDetails", () => {
  it("renders one collapsed block: a summary with the count, each example's id, scores and both answers", () => {
    expect(
      regressionDetails(
        step([
          regression("ex-7", "bug", "style"),
          { ...regression("sha256:0123456789abcdef", "a\nb", ""), input: "the diff of foo.ts" },
        ]),
      ),
    ).toEqual([
      "<details><summary>classify: 2 regressed examples (optimized failed, traditional passed)</summary>",
      "",
      "**1.** `ex-7` · traditional 1.00 → optimized 0.00",
      "",
      "traditional (1.00):",
      "",
      "<pre>bug</pre>",
      "",
      "optimized (0.00):",
      "",
      "<pre>style</pre>",
      "",
      "**2.** `sha256:0123456789abcdef` · traditional 1.00 → optimized 0.00",
      "",
      "input: the diff of foo.ts",
      "",
      "traditional (1.00):",
      "",
      "<pre>a\nb</pre>",
      "",
      "optimized (0.00):",
      "",
      "<pre></pre>",
      "",
      "</details>",
    ]);
  });

  it("says '1 regressed example' for one", () => {
    expect(regressionDetails(step([regression("a", "x", "y")]))[0]).toBe(
      "<details><summary>classify: 1 regressed example (optimized failed, traditional passed)</summary>",
    );
  });

  it("renders nothing for a step without regressions, or with an empty list", () => {
    expect(regressionDetails(step(undefined))).toEqual([]);
    expect(regressionDetails(step([]))).toEqual([]);
  });

  it("shows at most 5 examples and cuts a hand-made answer to 300 characters", () => {
    const lines = regressionDetails(
      step(Array.from({ length: 7 }, (_, i) => regression(`e${i}`, "x".repeat(400), "y"))),
    );
    expect(lines[0]).toContain("5 regressed examples");
    expect(lines.filter((l) => l.startsWith("**"))).toHaveLength(5);
    expect(lines).toContain(`<pre>${"x".repeat(299)}…</pre>`);
  });

  it("keeps hostile model text inert: no tag, fence, mention, link or early end of the block", () => {
    const hostile = [
      "</pre></details><script>alert(1)</script>",
      "```",
      "# heading",
      "",
      "<img src=x onerror=alert(1)> @octocat [link](https://evil.example) ![i](https://evil.example/i.png)",
      "~~~",
    ].join("\n");
    const lines = regressionDetails(
      step(
        [
          {
            ...regression("id`</details><b>x</b>", hostile, hostile),
            input: "<script>x</script> | @team [a](b)\n## h",
          },
        ],
        "step<b>@org/team</b>",
      ),
    );
    const out = html(lines);
    // The only elements are those the renderer writes: one details, its summary, two pre, one code (the id), emphasis.
    const tags = [...out.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]);
    expect(new Set(tags)).toEqual(new Set(["details", "summary", "p", "strong", "code", "pre"]));
    expect(tags.filter((t) => t === "pre")).toHaveLength(4);
    expect(tags.filter((t) => t === "details")).toHaveLength(2);
    expect(out.trimEnd().endsWith("</details>")).toBe(true);
    expect(out).not.toMatch(/<script|<img|<a |<h[1-6]|<b>/);
    expect(out).not.toMatch(/@(octocat|team|org)/);
    // The answer is shown whole and verbatim, as text.
    const pre = /<pre>([\s\S]*?)<\/pre>/.exec(out)![1]!;
    const shown = pre
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&")
      .replace(/\u200b/g, "");
    expect(shown).toBe(hostile);
  });
});
