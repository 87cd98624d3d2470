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

/**
 * Optimization benchmarks (issue 4), all offline against the `sim` provider:
 * (1) BootstrapFewShot teacher calls vs DSPy's bound max_rounds × |trainset|;
 * (2) paired evaluation of n = 200 at concurrency 8 with a fixed 50 ms latency: wall ÷ (n × 50 ms ÷ 8);
 * (3) a second `compileStep` of unchanged inputs: LM calls sent (target 0).
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
