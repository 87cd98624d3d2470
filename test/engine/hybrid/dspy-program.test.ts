import { copyFile, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatProblem, loadWorkflowText } from "../../../src/config/index.js";
import { runWorkflow } from "../../../src/engine/index.js";
import { SimModel, type LanguageModel, type LmRequest } from "../../../src/providers/index.js";
import { testContext } from "../scripted-model.js";

const FIXTURES = path.resolve(import.meta.dirname, "../../optimize/fixtures/dspy");
const FINDING =
  "Query built by string concatenation lets an attacker inject untrusted input in the login view.";

/** sim, with every request it answers kept for the assertions. */
function recordingSim(): { lm: LanguageModel; requests: LmRequest[] } {
  const sim = new SimModel();
  const requests: LmRequest[] = [];
  return {
    requests,
    lm: {
      provider: sim.provider,
      simulated: sim.simulated,
      complete: (request, signal) => (requests.push(request), sim.complete(request, signal)),
    },
  };
}

const classifyStep = (name: string) => `    - name: ${name}
      type: claude
      claude_options: { model: haiku }
      signature:
        instructions: Classify the code-review finding into one category.
        input_fields: [{ name: finding, template: "{{global_vars.finding}}" }]
        output_fields: [{ name: category, type: literal, options: [bug, style, security, performance] }]
      prompt:
        - { type: static, content: "Classify: {{global_vars.finding}}" }`;

const triageStep = `    - name: triage
      type: claude
      claude_options: { model: haiku }
      signature: "finding -> reasoning, priority"
      prompt:
        - { type: static, content: "How urgent is: {{global_vars.finding}}" }`;

function pipeline(name: string, steps: string[]): string {
  return `workflow:
  name: ${name}
  global_vars:
    finding: ${FINDING}
  steps:
${steps.join("\n")}
  hybrid_config:
    mode: dspy_optimized
`;
}

/** Runs `yaml` as `<stem>.yaml` with DSPy files placed at its steps' program paths; no training data, no cache. */
async function runWithPrograms(stem: string, yaml: string, programs: Record<string, string>) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "dspy-program-"));
  for (const [step, fixture] of Object.entries(programs)) {
    const target = path.join(dir, ".hybrid-pipeline/programs", stem, `${step}.json`);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(FIXTURES, fixture), target);
  }
  await writeFile(path.join(dir, `${stem}.yaml`), yaml);
  const loaded = loadWorkflowText(yaml, `${stem}.yaml`, { workdir: dir });
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join("\n"));
  const { lm, requests } = recordingSim();
  const { context } = testContext();
  const report = await runWorkflow({
    file: `${stem}.yaml`,
    workflow: loaded.workflow,
    lm,
    context,
    workdir: dir,
    sleep: async () => {},
  });
  return { report, requests };
}

describe("programs saved by DSPy 3.x at a step's program path", () => {
  it("runs a bare dspy.Predict (key self) as an external program: fields by position, its demos in the prompt", async () => {
    const { report, requests } = await runWithPrograms(
      "one",
      pipeline("one", [classifyStep("classify")]),
      {
        classify: "predict-self.json",
      },
    );
    const step = report.steps[0]!;
    expect(step.route).toBe("optimized");
    expect(step.program).toEqual({
      source: "external",
      stale: false,
      path: ".hybrid-pipeline/programs/one/classify.json",
      compiled_for: "openai/gpt-4o-mini",
      run_with: "claude-haiku-4-5",
    });
    expect(step.decision.reason).toContain(
      "external program .hybrid-pipeline/programs/one/classify.json (saved by DSPy, predictor 'self', no measured scores); compiled for openai/gpt-4o-mini, run with claude-haiku-4-5",
    );
    // The labelled demo (same finding, label `style`) decides sim's 1-NN answer; zero-shot would say `bug`.
    expect(step.output_preview).toBe("style");
    expect(report.lm_calls).toEqual({ step: 1, optimize: 0, evaluate: 0, judge: 0 });
    const [request] = requests;
    expect(request!.system).toContain("Sort the review finding into exactly one category.");
    expect(request!.system).toContain(
      "`category` (Literal['bug', 'style', 'security', 'performance']): bug, style, security or performance",
    );
    expect(request!.messages.map((m) => m.role)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
    ]);
    expect(request!.messages[0]!.content).toContain(
      "[[ ## finding ## ]]\nVariable names like x2 and tmp make the parser hard to follow.",
    );
    expect(request!.messages[3]!.content).toBe(
      "[[ ## category ## ]]\nstyle\n\n[[ ## completed ## ]]",
    );
    expect(JSON.stringify(request)).not.toContain("dspy_uuid");
  });

  it("gives each of two steps the predictor named after it in one two-predictor module", async () => {
    const { report, requests } = await runWithPrograms(
      "two",
      pipeline("two", [classifyStep("classify"), triageStep]),
      { classify: "two-predictors.json", triage: "two-predictors.json" },
    );
    expect(report.steps.map((s) => [s.name, s.route, s.program?.source])).toEqual([
      ["classify", "optimized", "external"],
      ["triage", "optimized", "external"],
    ]);
    expect(report.steps[0]!.decision.reason).toContain("predictor 'classify'");
    expect(report.steps[1]!.decision.reason).toContain("predictor 'triage.predict'");
    expect(report.steps[0]!.output_preview).toBe("performance");
    expect(report.steps[1]!.output_preview).toContain("urgent");
    expect(requests).toHaveLength(2);
    expect(requests[0]!.messages[1]!.content).toBe(
      "[[ ## category ## ]]\nperformance\n\n[[ ## completed ## ]]",
    );
    expect(requests[1]!.messages[1]!.content).toBe(
      "[[ ## reasoning ## ]]\nAn injection reachable from the login form is exploitable today.\n\n[[ ## priority ## ]]\nurgent\n\n[[ ## completed ## ]]",
    );
  });

  it("refuses a module with several predictors and none named after the step, listing its keys", async () => {
    const { report } = await runWithPrograms("other", pipeline("other", [classifyStep("label")]), {
      label: "two-predictors.json",
    });
    const step = report.steps[0]!;
    expect(step.route).toBe("traditional");
    expect(step.fallback?.reason).toBe("dspy_unavailable");
    expect(step.program).toBeUndefined();
    expect(report.warnings).toContain(
      "step 'label': ignoring the program file: .hybrid-pipeline/programs/other/label.json: 2 predictors (classify, triage.predict) and none is named after step 'label'; rename the predictor in the DSPy module to 'label' or save that predictor alone",
    );
  });
});
