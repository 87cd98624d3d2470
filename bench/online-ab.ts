import { cp, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { formatProblem, loadWorkflowText } from "../src/config/index.js";
import { createRunContext, runWorkflow } from "../src/engine/index.js";
import { SimModel, type LanguageModel, type LmRequest } from "../src/providers/index.js";

/**
 * Online A/B cost (issue 5): a step in A/B over 200 inputs where the optimized arm is clearly better.
 * The design's approach runs both variants on every input (200 extra LM calls); ours pairs only while
 * the posterior is uncertain (Thompson allocation with a 10% floor) and stops once the always-valid
 * mSPRT decides. Figure: extra LM calls spent on A/B ÷ always-both's 200. Target ≤ 0.25.
 * Both scenarios go through `runWorkflow` (a for_loop of 200 inputs, `intelligent_routing: false` so every
 * input is routed A/B, `online_judge` set so pairs are judged; without it the A/B is a canary that pays
 * for no pairs) and count the step calls actually sent (judge calls are reported apart).
 */
const INPUTS = 200;
const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

function workflowYaml(prompt: string, metric: string, seedTag: string): string {
  const items = Array.from(
    { length: INPUTS },
    (_, i) =>
      `"${seedTag} ${i}: string concatenation builds the query so an attacker can inject untrusted input"`,
  ).join(", ");
  return `workflow:
  name: online_ab_bench
  steps:
    - { name: inputs, type: set_variable, variables: { all: [${items}] } }
    - name: each
      type: for_loop
      iterator: finding
      data_source: all
      steps:
        - name: classify_finding
          type: claude
          signature:
            input_fields: [{ name: finding, template: "{{loop.finding}}" }]
            output_fields: [{ name: category, type: literal, options: [bug, style, security, performance] }]
          metric: ${metric}
          prompt: [{ type: static, content: "${prompt} {{loop.finding}}" }]
  dspy_config: { training_data_path: training_data }
  hybrid_config: { mode: hybrid, intelligent_routing: false, ab_testing_enabled: true, online_judge: {} }
`;
}

const SEEDS = [1, 2, 3, 4, 5];

async function extraCalls(yaml: string, lm: LanguageModel, seed: number): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bench-ab-"));
  await cp(
    path.join(projectRoot, "examples/code-review/training_data"),
    path.join(dir, "training_data"),
    { recursive: true },
  );
  await writeFile(path.join(dir, "wf.yaml"), yaml);
  const loaded = loadWorkflowText(yaml, "wf.yaml", { workdir: dir });
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join("\n"));
  const report = await runWorkflow({
    file: "wf.yaml",
    workflow: loaded.workflow,
    lm,
    context: createRunContext({ seed }),
    seed: { value: seed, source: "option" },
    workdir: dir,
  });
  if (report.status !== "success") throw new Error(`run ${report.status}`);
  return report.lm_calls.step - INPUTS;
}

/** The run's seed drives the allocation draws: each scenario runs under several seeds. */
async function runScenario(label: string, yaml: string, lm: () => LanguageModel): Promise<void> {
  const extras: number[] = [];
  for (const seed of SEEDS) extras.push(await extraCalls(yaml, lm(), seed));
  const mean = extras.reduce((a, b) => a + b, 0) / extras.length;
  console.log(
    `${label}: extra calls per seed ${extras.join(", ")} (always-both: ${INPUTS}) · mean ratio ${(mean / INPUTS).toFixed(3)}, worst ${(Math.max(...extras) / INPUTS).toFixed(3)} (target ≤ 0.25)`,
  );
}

/** sim, but the traditional arm (no ChatAdapter markers) answers a valid label only 40% of the time, the program 90%. */
function noisyArms(): LanguageModel {
  const sim = new SimModel();
  let n = 0;
  const coin = () => ((Math.imul(++n, 2654435761) >>> 0) % 1000) / 1000;
  return {
    provider: "sim",
    simulated: true,
    async complete(request: LmRequest, signal) {
      const response = await sim.complete(request, signal);
      if (request.purpose !== "step") return response;
      const optimized = request.system?.includes("[[ ##") === true;
      const valid = coin() < (optimized ? 0.9 : 0.4);
      if (valid) return optimized ? response : { ...response, text: "security" };
      return {
        ...response,
        text: optimized
          ? "[[ ## category ## ]]\nunclear\n\n[[ ## completed ## ]]"
          : "It is hard to say.",
      };
    },
  };
}

console.log(`${INPUTS} inputs per scenario, every input routed A/B, seeds ${SEEDS.join(", ")}`);
await runScenario(
  "sim, traditional prompt answers prose (validity 0 vs 1)",
  workflowYaml("Classify:", "exact_match", "Finding"),
  () => new SimModel(),
);
await runScenario(
  "noisy arms (validity 0.4 vs 0.9)                    ",
  workflowYaml("Classify:", "exact_match", "Case"),
  noisyArms,
);
