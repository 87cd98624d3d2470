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
