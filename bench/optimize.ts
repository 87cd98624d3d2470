import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createTieredCache } from "../src/cache/index.js";
import {
  CallLedger,
  compileStep,
  createMetric,
  defaultOptimizerParams,
  evaluatePaired,
  loadTrainingData,
  optimizers,
  resolveSignature,
  planEvidence,
  splitSettings,
  type Example,
  type Program,
} from "../src/optimize/index.js";
import { SimModel } from "../src/providers/index.js";
import { loadWorkflowFile, type Workflow } from "../src/config/index.js";
import { stepModel } from "../src/engine/index.js";
import {
  createSearchLog,
  dspyEstimatedCalls,
  planMipro,
  projectCompileStep,
  scoreProgram,
  seededShuffle,
  type OptimizerName,
} from "../src/optimize/index.js";

/**
 * Optimization benchmarks (issue 4), all offline against the `sim` provider:
 * (1) BootstrapFewShot teacher calls vs DSPy's bound max_rounds × |trainset|;
 * (2) paired evaluation of n = 200 at concurrency 8 with a fixed 50 ms latency: wall ÷ (n × 50 ms ÷ 8);
 * (3) a second `compileStep` of unchanged inputs: LM calls sent (target 0);
 * (4) MIPROv2 `auto: light` LM calls vs DSPy 3.0's projected-calls formula for the same parameters;
 * (5) held-out (test split) quality of MIPROv2 light vs bootstrap random search on the examples' steps;
 * (6) the dry-run projection (empty cache) vs the calls actually sent with caching off (target ±10%).
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const step = {
  name: "classify_finding",
  signature: {
    instructions: "Classify the code-review finding into one category.",
    input_fields: [
      {
        name: "finding",
        description: "One code-review finding.",
        template: "{{steps.security.result}}",
      },
    ],
    output_fields: [
      {
        name: "category",
        type: "literal" as const,
        options: ["bug", "style", "security", "performance"],
      },
    ],
  },
  metric: "exact_match" as const,
  prompt: [
    {
      type: "static",
      content:
        "Classify the code-review finding. Answer with one of: bug, style, security, performance.",
    },
    { type: "static", content: "{{steps.security.result}}" },
  ],
};
const workflow = {
  name: "bench",
  dspy_config: { training_data_path: join(root, "examples/code-review/training_data") },
};
const signature = resolveSignature(step, workflow)!;
const data = await loadTrainingData({
  workdir: root,
  path: workflow.dspy_config.training_data_path,
  step: step.name,
  signature,
});
if (data.kind !== "loaded") throw new Error(`bench data: ${data.kind}`);
const examples = data.examples;
const { trainset } = planEvidence(examples, splitSettings(undefined)).ship;
const start: Program = { instructions: signature.instructions, signature, demos: [] };

console.log(
  "(1) BootstrapFewShot LM calls vs DSPy's bound (max_rounds × |trainset|), sim, 1-NN teacher",
);
for (const [rounds, bootstrapped] of [
  [1, 4],
  [1, 40],
  [3, 40],
] as const) {
  const ledger = new CallLedger();
  const lm = new SimModel();
  const params = {
    ...defaultOptimizerParams,
    max_rounds: rounds,
    max_bootstrapped_demos: bootstrapped,
  };
  await optimizers.bootstrap_few_shot.compile(start, trainset, {
    lm,
    ledger,
    metric: createMetric("exact_match"),
    model: "sim-1",
    params,
  });
  const bound = rounds * trainset.length;
  console.log(
    `  max_rounds=${rounds} max_bootstrapped_demos=${bootstrapped} |trainset|=${trainset.length}: ${ledger.usage.calls.teacher} calls, bound ${bound}, ratio ${(ledger.usage.calls.teacher / bound).toFixed(3)}`,
  );
}

console.log("(2) paired evaluation, n=200, concurrency 8, fixed 50 ms latency per call");
const n = 200;
const devset: Example[] = Array.from({ length: n }, (_, i) => ({
  ...examples[i % examples.length]!,
  id: `e${i}`,
}));
const program = await optimizers.labeled_few_shot.compile(start, trainset, {
  lm: new SimModel(),
  ledger: new CallLedger(),
  metric: createMetric("exact_match"),
  model: "sim-1",
  params: defaultOptimizerParams,
});
const slow = new SimModel({ sleep: true, latencyMs: 50 });
const t0 = performance.now();
const evaluation = await evaluatePaired({
  step,
  program,
  devset,
  lm: slow,
  ledger: new CallLedger(),
  model: "sim-1",
  metric: createMetric("exact_match"),
  concurrency: 8,
});
const wall = performance.now() - t0;
const ideal = (n * 50) / 8;
console.log(
  `  ${evaluation.pairs.length} pairs (both arms per example, in parallel): wall ${wall.toFixed(0)} ms, ideal ${ideal} ms, ratio ${(wall / ideal).toFixed(3)} (target ≤ 1.15)`,
);

console.log("(3) second optimize of unchanged inputs");
const dir = await mkdtemp(join(tmpdir(), "bench-optimize-"));
const counts: number[] = [];
for (let run = 0; run < 2; run++) {
  const cache = await createTieredCache({ cacheDir: join(dir, "cache"), workdir: dir });
  const outcome = await compileStep({
    step,
    workflow,
    workdir: root,
    lm: new SimModel(),
    model: "sim-1",
    cache,
    now: Date.now,
  });
  await cache.close();
  counts.push(outcome.usage.total_calls);
  console.log(
    `  run ${run + 1}: ${outcome.kind === "compiled" ? outcome.tier : outcome.reason}, ${outcome.usage.total_calls} LM calls`,
  );
}
await rm(dir, { recursive: true, force: true });
console.log(`  second run LM calls: ${counts[1]} (target 0)`);

/** The examples' steps that have a signature and training data, with their metric. */
async function exampleSteps(): Promise<
  Array<{ file: string; workflow: Workflow; step: Workflow["steps"][number]; examples: Example[] }>
> {
  const out = [];
  for (const file of [
    "examples/code-review/classify_findings.yaml",
    "examples/hybrid-code-analyzer/hybrid_code_analyzer.yaml",
  ]) {
    const loaded = await loadWorkflowFile(join(root, file), { workdir: root });
    if (!loaded.ok) throw new Error(`bench: ${file} does not load`);
    for (const step of loaded.workflow.steps) {
      const sig = resolveSignature(step, loaded.workflow);
      if (!sig) continue;
      const d = await loadTrainingData({
        workdir: root,
        path: loaded.workflow.dspy_config?.training_data_path ?? "training_data",
        step: step.name,
        signature: sig,
      });
      if (d.kind === "loaded")
        out.push({ file, workflow: loaded.workflow, step, examples: d.examples });
    }
  }
  return out;
}
const steps = await exampleSteps();

console.log(
  "(4) MIPROv2 auto=light LM calls vs DSPy 3.0's _estimate_lm_calls for the same parameters, sim",
);
for (const { step, workflow, examples: all } of steps) {
  const { trainset: train, valset: val } = planEvidence(
    all,
    splitSettings(workflow.dspy_config),
  ).ship;
  const sig = resolveSignature(step, workflow)!;
  const ledger = new CallLedger();
  const params = { ...defaultOptimizerParams, ...workflow.dspy_config?.optimizer_options };
  await optimizers.mipro.compile(
    { instructions: sig.instructions, signature: sig, demos: [] },
    train,
    {
      lm: new SimModel(),
      ledger,
      metric: createMetric((step as { metric?: never }).metric, {
        lm: new SimModel(),
        ledger,
        defaultModel: "sim-1",
      }),
      model: "sim-1",
      params,
      valset: val,
      log: createSearchLog(),
    },
  );
  const plan = planMipro(
    {
      auto: "light",
      numCandidates: null,
      numTrials: null,
      minibatchSize: params.minibatch_size,
      minibatchFullEvalSteps: params.minibatch_full_eval_steps,
      maxBootstrappedDemos: params.max_bootstrapped_demos,
      maxLabeledDemos: params.max_labeled_demos,
    },
    val.length,
  );
  const dspy = dspyEstimatedCalls(plan);
  const c = ledger.usage.calls;
  console.log(
    `  ${step.name}: |train| ${train.length}, |val| ${val.length}, trials ${plan.numTrials}, minibatch ${plan.minibatch}: prompt-model calls ${c.proposal} vs DSPy ${dspy.prompt}; task-model evaluation calls ${c.evaluation} vs DSPy ${dspy.task}; bootstrap (teacher) calls ${c.teacher} (not in DSPy's estimate)`,
  );
}

console.log(
  "(5) held-out quality, MIPROv2 light vs bootstrap random search, sim, train/val/test = 50/25/25%, seeds 0-2",
);
for (const { step, workflow, examples: all } of steps) {
  const sig = resolveSignature(step, workflow)!;
  const start: Program = { instructions: sig.instructions, signature: sig, demos: [] };
  const row: Record<string, number[]> = {
    zero_shot: [],
    bootstrap_few_shot_random_search: [],
    mipro: [],
  };
  const calls: Record<string, number[]> = { bootstrap_few_shot_random_search: [], mipro: [] };
  for (const seed of [0, 1, 2]) {
    const shuffled = seededShuffle(all, seed);
    const nTest = Math.max(1, Math.floor(shuffled.length / 4));
    const test = shuffled.slice(0, nTest);
    const val = shuffled.slice(nTest, 2 * nTest);
    const train = shuffled.slice(2 * nTest);
    const lm = new SimModel();
    const scoreCtx = {
      lm,
      ledger: new CallLedger(),
      metric: createMetric((step as { metric?: never }).metric, {
        lm,
        ledger: new CallLedger(),
        defaultModel: "sim-1",
      }),
      model: "sim-1",
      params: { ...defaultOptimizerParams, seed },
    };
    row.zero_shot!.push((await scoreProgram(start, test, scoreCtx)).mean);
    for (const name of ["bootstrap_few_shot_random_search", "mipro"] as const) {
      const ledger = new CallLedger();
      const program = await optimizers[name].compile(start, train, {
        ...scoreCtx,
        ledger,
        valset: val,
      });
      calls[name]!.push(ledger.usage.total_calls);
      row[name]!.push((await scoreProgram(program, test, scoreCtx)).mean);
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `  ${step.name} (n=${all.length}, test ${Math.floor(all.length / 4)}): zero-shot ${mean(row.zero_shot!).toFixed(3)} · random search ${mean(row.bootstrap_few_shot_random_search!).toFixed(3)} (${Math.round(mean(calls.bootstrap_few_shot_random_search!))} calls) · MIPROv2 light ${mean(row.mipro!).toFixed(3)} (${Math.round(mean(calls.mipro!))} calls)`,
  );
}

console.log(
  "(6) dry-run projection (empty cache) vs LM calls sent by compileStep with caching off, sim",
);
for (const { step, workflow } of steps) {
  for (const optimizer of [
    "bootstrap_few_shot",
    "bootstrap_few_shot_random_search",
    "mipro",
  ] as OptimizerName[]) {
    const model = stepModel(step, workflow);
    const input = {
      step: step as never,
      workflow,
      workdir: root,
      model,
      optimizer,
    };
    const projection = await projectCompileStep(input);
    const outcome = await compileStep({ ...input, lm: new SimModel(), cache: null, now: Date.now });
    if (projection.kind !== "projected") continue;
    const sent = outcome.usage.total_calls;
    const projected = projection.total.total_calls;
    const cost = outcome.usage.cost_usd ?? 0;
    console.log(
      `  ${step.name} ${optimizer}: projected ${projected} calls (up to ${projection.total.max_calls}), $${(projection.total.cost_usd ?? 0).toFixed(4)}; sent ${sent} calls, $${cost.toFixed(4)} at ${model} rates; calls ${(((projected - sent) / sent) * 100).toFixed(1)}%, dollars ${((((projection.total.cost_usd ?? 0) - cost) / cost) * 100).toFixed(1)}%`,
    );
  }
}
