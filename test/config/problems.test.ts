import { describe, expect, it } from "vitest";
import { formatProblem, loadWorkflowText, type LoadResult } from "../../src/config/index.js";

const lines = (result: LoadResult) =>
  [...(result.ok ? [] : result.problems), ...result.warnings].map(formatProblem);
const errors = (result: LoadResult) => (result.ok ? [] : result.problems.map(formatProblem));
const yaml = (...rows: string[]) => rows.join("\n") + "\n";

const claudeStep = [
  "    - name: s",
  "      type: claude",
  "      prompt: [{type: static, content: hi}]",
];

describe("problems with positions", () => {
  it("reports a duplicate key at the second key", () => {
    const result = loadWorkflowText(
      yaml("workflow:", "  name: a", "  name: b", "  steps:", ...claudeStep),
      "dup.yaml",
    );
    expect(errors(result)).toEqual([
      "dup.yaml:3:3: error: duplicate key in a map (remove or rename one of the two keys; YAML keeps only one)",
    ]);
  });

  it("rejects a file with several YAML documents at the second one", () => {
    const result = loadWorkflowText(
      yaml("workflow:", "  name: a", "  steps: []", "---", "other: 1"),
      "multi.yaml",
    );
    expect(errors(result)).toEqual([
      "multi.yaml:4:1: error: the file holds 2 YAML documents; a pipeline file holds one (remove the `---` separator and the extra documents, or split them into separate files)",
    ]);
  });

  it("rejects a root that is not a map", () => {
    const result = loadWorkflowText(yaml("- a", "- b"), "list.yaml");
    expect(errors(result)).toEqual([
      "list.yaml:1:1: error: the file holds a list, not a map (a pipeline file is a map with a top-level `workflow:` key)",
    ]);
  });

  it("names an unknown step type and suggests the closest known one", () => {
    const result = loadWorkflowText(
      yaml(
        "workflow:",
        "  name: a",
        "  steps:",
        "    - name: s",
        "      type: claud",
        "      prompt: [{type: static, content: hi}]",
      ),
      "type.yaml",
    );
    expect(errors(result)).toHaveLength(1);
    expect(errors(result)[0]).toMatch(
      /^type\.yaml:5:13: error: unknown step type 'claud' \(did you mean `claude`\? \(known: claude, gemini, /,
    );
  });

  it("reports a previous_response naming a step that does not exist, in both modes", () => {
    const text = yaml(
      "workflow:",
      "  name: a",
      "  steps:",
      ...claudeStep,
      "    - name: t",
      "      type: gemini",
      "      prompt:",
      "        - type: previous_response",
      "          step: x",
    );
    expect(errors(loadWorkflowText(text, "ref.yaml"))).toEqual([
      "ref.yaml:11:17: error: previous_response refers to step 'x', which does not exist (did you mean 's'?)",
    ]);
    expect(errors(loadWorkflowText(text, "ref.yaml", { strict: true }))).toEqual([
      "ref.yaml:11:17: error: pipeline_ex rejects this file: step 't' references non-existent steps: x (name an existing top-level step)",
    ]);
  });

  it("reports a gemini function that gemini_functions does not define", () => {
    const text = yaml(
      "workflow:",
      "  name: a",
      "  gemini_functions:",
      "    get_weather:",
      "      description: d",
      "      parameters: {type: object}",
      "  steps:",
      "    - name: s",
      "      type: gemini",
      "      functions: [get_wether]",
      "      prompt: [{type: static, content: hi}]",
    );
    expect(errors(loadWorkflowText(text, "fn.yaml"))).toEqual([
      "fn.yaml:10:19: error: function 'get_wether' is not defined in `workflow.gemini_functions` (did you mean 'get_weather'?)",
    ]);
  });

  it("lists the four modes when hybrid_config.mode is wrong, and checks the other keys of ours", () => {
    const text = yaml(
      "workflow:",
      "  name: a",
      "  hybrid_config:",
      "    mode: fast",
      "    performance_threshold: 1.5",
      "  dspy_config:",
      "    optimization_frequency: hourly",
      "  steps:",
      ...claudeStep,
    );
    expect(errors(loadWorkflowText(text, "mode.yaml"))).toEqual([
      "mode.yaml:4:11: error: `workflow.hybrid_config.mode` must be one of: traditional, dspy_optimized, hybrid, evaluation (found 'fast') (use one of the listed values)",
      "mode.yaml:5:28: error: `workflow.hybrid_config.performance_threshold` must be <= 1 (found 1.5) (see docs/configuration.md for this key)",
      "mode.yaml:7:29: error: `workflow.dspy_config.optimization_frequency` must be one of: daily, weekly, monthly, on_change, never (found 'hourly') (use one of the listed values)",
    ]);
  });

  it("warns about unknown keys with a suggestion, and still loads the file", () => {
    const text = yaml(
      "workflow:",
      "  name: a",
      "  stepz: 1",
      "  steps:",
      "    - name: s",
      "      type: claude",
      "      claude_options: {max_turn: 3}",
      "      prompt: [{type: static, content: hi}]",
    );
    const result = loadWorkflowText(text, "typo.yaml");
    expect(result.ok).toBe(true);
    expect(lines(result)).toEqual([
      "typo.yaml:3:3: warning: unknown key `stepz` in `workflow`; it is ignored (did you mean `steps`?)",
      "typo.yaml:7:24: warning: unknown key `max_turn` in `workflow.steps[0].claude_options`; it is ignored (did you mean `max_turns`?)",
    ]);
  });

  it("accepts a string prompt with a warning by default, and rejects it under --strict", () => {
    const text = yaml(
      "workflow:",
      "  name: a",
      "  steps:",
      "    - name: s",
      "      type: claude",
      "      prompt: say hi",
    );
    const lenient = loadWorkflowText(text, "p.yaml");
    expect(lines(lenient)).toEqual([
      "p.yaml:6:15: warning: prompt is a plain string; pipeline_ex's loader rejects it (read here as one static part) (write it as a list: prompt: [{type: static, content: ...}])",
    ]);
    expect(lenient.ok && lenient.workflow.steps[0]).toMatchObject({
      prompt: [{ type: "static", content: "say hi" }],
    });
    expect(lenient.ok && lenient.raw.workflow.steps[0]).toMatchObject({ prompt: "say hi" });
    expect(errors(loadWorkflowText(text, "p.yaml", { strict: true }))).toEqual([
      "p.yaml:6:15: error: pipeline_ex rejects this file: step 's' prompt must be an array of prompt parts (write it as [{type: static, content: \"...\"}])",
    ]);
  });

  it("rejects test_echo under --strict, as pipeline_ex does outside its tests", () => {
    const text = yaml(
      "workflow:",
      "  name: a",
      "  steps:",
      "    - name: s",
      "      type: test_echo",
      "      value: 1",
    );
    expect(loadWorkflowText(text, "e.yaml").ok).toBe(true);
    expect(errors(loadWorkflowText(text, "e.yaml", { strict: true }))[0]).toMatch(
      /^e\.yaml:5:13: error: pipeline_ex rejects this file: step 's' has invalid type 'test_echo'/,
    );
  });

  it("reports a YAML syntax error where it is", () => {
    expect(
      errors(loadWorkflowText(yaml("workflow:", "  name: 'a", "  steps: ["), "syntax.yaml"))[0],
    ).toMatch(/^syntax\.yaml:4:1: error: YAML syntax: /);
  });

  it("rejects a file that is not a workflow, naming its root keys", () => {
    expect(errors(loadWorkflowText(yaml("name: x", "steps: []"), "nw.yaml"))).toEqual([
      "nw.yaml:1:1: error: not a pipeline_ex workflow: no top-level `workflow:` key (root keys: name, steps) (put `name:` and `steps:` under a top-level `workflow:` key)",
    ]);
  });

  it("never rejects what pipeline_ex accepts: schema findings on pipeline_ex's own keys are then warnings", () => {
    const text = yaml(
      "workflow:",
      "  name: 7",
      "  steps:",
      "    - name: fan",
      "      type: parallel_claude",
      "      parallel_tasks: [x]",
    );
    const result = loadWorkflowText(text, "s.yaml", { strict: true });
    expect(result.ok).toBe(true);
    expect(result.warnings.map(formatProblem)).toEqual([
      "s.yaml:2:9: warning: `workflow.name` must be a string (found 7) (write a string here)",
      "s.yaml:6:24: warning: `workflow.steps[0].parallel_tasks[0]` must be a map (found 'x') (write a map here)",
    ]);
    const lenient = loadWorkflowText(text, "s.yaml");
    expect(lenient.ok).toBe(true);
    expect(lenient.warnings.map(formatProblem)).toEqual(result.warnings.map(formatProblem));
  });

  it("reads singular variable/value as variables and flags steps.x.y conditions, with a warning each", () => {
    const text = yaml(
      "workflow:",
      "  name: a",
      "  steps:",
      "    - name: v",
      "      type: set_variable",
      "      variable: n",
      "      value: 3",
      '      condition: "steps.check.ok == true"',
    );
    const result = loadWorkflowText(text, "v.yaml");
    expect(result.ok && result.workflow.steps[0]).toEqual({
      name: "v",
      type: "set_variable",
      variables: { n: 3 },
      condition: "steps.check.ok == true",
    });
    expect(lines(result)).toEqual([
      "v.yaml:6:17: warning: set_variable uses singular `variable`/`value` (read here as `variables`) (write `variables: {name: value}`, the documented form)",
      "v.yaml:8:18: warning: condition refers to `steps.<name>.<field>`; pipeline_ex's condition engine reads `<name>.<field>` (drop the `steps.` prefix so pipeline_ex evaluates it the same way)",
    ]);
  });
});
