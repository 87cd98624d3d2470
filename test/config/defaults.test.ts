import { describe, expect, it } from "vitest";
import { claudePresets, loadWorkflowText, type Workflow } from "../../src/config/index.js";

function load(text: string): Workflow {
  const result = loadWorkflowText(text, "d.yaml");
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("; "));
  return result.workflow;
}

const text = `workflow:
  name: defaults
  defaults:
    gemini_model: gemini-2.5-flash
    gemini_token_budget: {max_output_tokens: 512}
    claude_output_format: text
    claude_options: {max_turns: 7, verbose: true}
  dspy_config:
    cache_enabled: false
  steps:
    - name: plain
      type: claude
      claude_options: {max_turns: 2}
      prompt: [{type: static, content: a}]
    - name: smart
      type: claude_smart
      preset: analysis
      prompt: [{type: static, content: b}]
    - name: gem
      type: gemini
      prompt: [{type: static, content: c}]
    - name: own_model
      type: gemini
      model: gemini-2.5-pro
      prompt: [{type: static, content: d}]
    - name: fan
      type: parallel_claude
      parallel_tasks:
        - id: t1
          prompt: [{type: static, content: e}]
`;

describe("defaults", () => {
  const workflow = load(text);
  const step = (name: string) =>
    workflow.steps.find((s) => s.name === name) as Record<string, unknown>;

  it("merges defaults.claude_options under the step's own, with the default output format", () => {
    expect(step("plain")["claude_options"]).toEqual({
      max_turns: 2,
      verbose: true,
      output_format: "text",
    });
  });

  it("puts the preset beneath defaults and the step's options", () => {
    expect(step("smart")["claude_options"]).toEqual({
      ...claudePresets.analysis,
      max_turns: 7,
      verbose: true,
    });
  });

  it("fills a gemini step's model and token budget only where it has none", () => {
    expect(step("gem")).toMatchObject({
      model: "gemini-2.5-flash",
      token_budget: { max_output_tokens: 512 },
    });
    expect(step("own_model")["model"]).toBe("gemini-2.5-pro");
  });

  it("merges claude defaults into every parallel task", () => {
    expect(step("fan")["parallel_tasks"]).toEqual([
      {
        id: "t1",
        prompt: [{ type: "static", content: "e" }],
        claude_options: { max_turns: 7, verbose: true, output_format: "text" },
      },
    ]);
  });

  it("keeps an explicit false and leaves absent keys absent", () => {
    expect(workflow.dspy_config).toEqual({ cache_enabled: false });
    expect(workflow.hybrid_config).toBeUndefined();
  });

  it("defaults output_format to json when nothing sets it", () => {
    const bare = load(
      "workflow:\n  name: b\n  steps:\n    - name: s\n      type: claude\n      prompt: [{type: static, content: a}]\n",
    );
    expect(bare.steps[0]).toMatchObject({ claude_options: { output_format: "json" } });
    expect(bare.steps[0]).not.toHaveProperty("model");
  });
});
