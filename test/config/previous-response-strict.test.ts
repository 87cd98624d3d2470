import { describe, expect, it } from "vitest";
import { formatProblem, loadWorkflowText, type LoadResult } from "../../src/config/index.js";

const lines = (result: LoadResult) =>
  [...(result.ok ? [] : result.problems), ...result.warnings].map(formatProblem);

const pipeline = (partExtra: string) =>
  [
    "workflow:",
    "  name: a",
    "  steps:",
    "    - name: analyse",
    "      type: claude",
    "      prompt: [{type: static, content: hi}]",
    "    - name: report",
    "      type: claude",
    "      prompt:",
    "        - type: previous_response",
    "          step: analyse",
    "          extract: score",
    `          ${partExtra}`,
    "",
  ].join("\n");

describe("previous_response strict", () => {
  it("validates a part with strict: true without any warning", () => {
    const result = loadWorkflowText(pipeline("strict: true"), "strict.yaml");
    expect(result.ok).toBe(true);
    expect(lines(result)).toEqual([]);
    expect(result.ok && result.workflow.steps[1]).toMatchObject({
      prompt: [{ type: "previous_response", step: "analyse", extract: "score", strict: true }],
    });
  });

  it("still warns about a misspelt strict", () => {
    expect(lines(loadWorkflowText(pipeline("strikt: true"), "typo.yaml"))).toEqual([
      "typo.yaml:13:11: warning: unknown key `strikt` in `workflow.steps[1].prompt[0]`; it is ignored (did you mean `strict`?)",
    ]);
  });
});
