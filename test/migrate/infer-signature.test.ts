import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { findCandidates, inferSignature } from "../../src/migrate/index.js";

const workflowOf = (yaml: string) =>
  (parse(yaml) as { workflow: Record<string, unknown> }).workflow;

describe("findCandidates", () => {
  it("takes LLM steps with a substantial prompt, and skips forced-traditional, signed, trivial and non-LLM steps", () => {
    const workflow = workflowOf(`
workflow:
  name: w
  steps:
    - {name: a, type: claude, prompt: [{type: static, content: "Summarize the design document."}]}
    - {name: b, type: gemini, execution_mode: traditional, prompt: [{type: static, content: "Summarize the design document."}]}
    - {name: c, type: claude_smart, signature: "doc -> summary", prompt: [{type: static, content: "Summarize the design document."}]}
    - {name: d, type: claude, prompt: [{type: static, content: "Say hi"}]}
    - {name: e, type: set_variable, variables: {x: 1}}
    - {name: f, type: gemini_instructor, prompt: [{type: static, content: "Classify {{steps.a.result}} by urgency level."}]}
    - {name: g, type: claude_extract, prompt: [{type: previous_response, step: a}]}
    - {name: h, type: parallel_claude, parallel_tasks: [{id: t, prompt: [{type: static, content: "Summarize the design document."}]}]}
`);
    expect(findCandidates(workflow).map((c) => c.name)).toEqual(["a", "f"]);
  });
});

describe("inferSignature", () => {
  it("takes inputs in prompt order from templates, files, previous responses and extracts, each with where it comes from", () => {
    const [candidate] = findCandidates(
      workflowOf(`
workflow:
  name: w
  steps:
    - name: review
      type: claude
      prompt:
        - {type: static, content: "Review the code in {{ inputs.repo_name }} against the style guide."}
        - {type: file, path: docs/STYLE-GUIDE.md}
        - {type: previous_response, step: read_code}
        - {type: previous_response, step: read_code, extract: diff}
        - {type: static, content: "Also consider {{steps.read_code.result}}."}
`),
    );
    expect(inferSignature(candidate!)).toEqual({
      instructions:
        "Review the code in `repo_name` against the style guide. Also consider `read_code`.",
      input_fields: [
        {
          name: "repo_name",
          type: "string",
          description: "The value of `{{inputs.repo_name}}`.",
          template: "{{ inputs.repo_name }}",
        },
        {
          name: "style_guide",
          type: "string",
          description: "The content of the file `docs/STYLE-GUIDE.md`.",
          template: "{{file:docs/STYLE-GUIDE.md}}",
        },
        {
          name: "read_code",
          type: "string",
          description: "The output of step `read_code`.",
          template: "{{steps.read_code.result}}",
        },
        {
          name: "read_code_diff",
          type: "string",
          description: "`diff` from the output of step `read_code`.",
          template: "{{steps.read_code.result.diff}}",
        },
      ],
      output_fields: [{ name: "output", type: "string", description: "The step's response." }],
    });
  });

  it("takes outputs from the output schema, enums as literal fields, names unique across inputs and outputs", () => {
    const [candidate] = findCandidates(
      workflowOf(`
workflow:
  name: w
  steps:
    - name: triage
      type: gemini_instructor
      schema:
        type: object
        properties:
          severity: {type: string, enum: [low, high], description: "How bad it is."}
          tags: {type: array}
          issue: {type: object}
      prompt:
        - {type: static, content: "Triage the incoming issue report."}
        - {type: previous_response, step: issue}
`),
    );
    expect(inferSignature(candidate!).output_fields).toEqual([
      {
        name: "severity",
        type: "literal",
        description: "How bad it is.",
        options: ["low", "high"],
      },
      { name: "tags", type: "list", description: "`tags` of the step's structured output." },
      { name: "issue_2", type: "object", description: "`issue` of the step's structured output." },
    ]);
  });

  it("cuts long instructions to the first sentences within 200 characters", () => {
    const long = `${"Explain the architecture of the payment service in plain words. ".repeat(2)}${"Then list every risk you see in detail. ".repeat(10)}`;
    const [candidate] = findCandidates(
      workflowOf(
        `workflow:\n  name: w\n  steps:\n    - {name: a, type: claude, prompt: [{type: static, content: "${long}"}]}\n`,
      ),
    );
    const { instructions } = inferSignature(candidate!);
    expect(
      instructions.startsWith(
        "Explain the architecture of the payment service in plain words. Explain",
      ),
    ).toBe(true);
    expect(Array.from(instructions).length).toBeLessThanOrEqual(200);
    expect(instructions.endsWith(".")).toBe(true);
  });

  it("cuts an over-long single sentence at a word boundary without splitting a surrogate pair", () => {
    const long = `Describe ${"😀 emoji ".repeat(60)}now`;
    const [candidate] = findCandidates(
      workflowOf(
        `workflow:\n  name: w\n  steps:\n    - {name: a, type: claude, prompt: [{type: static, content: "${long}"}]}\n`,
      ),
    );
    const { instructions } = inferSignature(candidate!);
    expect(instructions.endsWith("…")).toBe(true);
    expect(Array.from(instructions).length).toBeLessThanOrEqual(200);
    expect(instructions).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
