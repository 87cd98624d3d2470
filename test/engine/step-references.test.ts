import { describe, expect, it } from "vitest";
import { runYaml } from "./run-helper.js";

describe("{{steps.x...}} references to an earlier step's result", () => {
  it("resolve pipeline_ex's {{steps.x.result}} and the docs' {{steps.x.content}} to a claude step's answer", async () => {
    const yaml = `
workflow:
  name: refs
  steps:
    - { name: draft, type: claude, prompt: [{ type: static, content: "write" }] }
    - { name: gem, type: gemini, prompt: [{ type: static, content: "write too" }] }
    - name: use
      type: claude
      prompt:
        - type: static
          content: "result={{steps.draft.result}} content={{steps.draft.content}} text={{steps.draft.text}} gem={{steps.gem.result}}/{{steps.gem.text}}"
`;
    const { requests, report } = await runYaml(yaml, ["the draft", "the gem answer", "ok"]);
    expect(report.status).toBe("success");
    expect(requests[2]!.messages[0]!.content).toBe(
      "result=the draft content=the draft text=the draft gem=the gem answer/the gem answer",
    );
  });

  it("{{steps.x.result.field}} reads a field of a JSON answer", async () => {
    const yaml = `
workflow:
  name: refs
  steps:
    - { name: score, type: claude, prompt: [{ type: static, content: "score" }] }
    - name: use
      type: claude
      prompt:
        - type: static
          content: "{{steps.score.result.grade}} {{steps.score.grade}}"
`;
    const { requests } = await runYaml(yaml, ['{"grade": "B"}', "ok"]);
    expect(requests[1]!.messages[0]!.content).toBe("B B");
  });
});

describe("conditions written inside {{ }}, as pipeline_ex's docs write them", () => {
  it("a while_loop comparing two state values runs until the comparison turns false", async () => {
    const yaml = `
workflow:
  name: while
  steps:
    - { name: init, type: set_variable, variables: { count: 0, max: 3 } }
    - name: grow
      type: while_loop
      condition: "{{state.count < state.max}}"
      max_iterations: 10
      steps:
        - { name: inc, type: set_variable, variables: { count: "{{state.count + 1}}" } }
`;
    const { report } = await runYaml(yaml);
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ["init", "success"],
      ["grow", "success"],
    ]);
    expect(report.steps[1]!.output_preview).toContain('"iterations": 3');
    expect(report.steps[1]!.output_preview).toContain('"exit_reason": "condition_false"');
  });

  it("a step condition mixing a placeholder and an operator, and one wholly in braces", async () => {
    const yaml = `
workflow:
  name: cond
  steps:
    - { name: score, type: claude, prompt: [{ type: static, content: "rate" }] }
    - { name: high, type: claude, condition: "{{steps.score.rating}} > 7", prompt: [{ type: static, content: "high" }] }
    - { name: low, type: claude, condition: "{{ steps.score.rating <= 7 }}", prompt: [{ type: static, content: "low" }] }
`;
    const { report } = await runYaml(yaml, ['{"rating": 9}', "ok"]);
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ["score", "success"],
      ["high", "success"],
      ["low", "skipped"],
    ]);
  });
});
