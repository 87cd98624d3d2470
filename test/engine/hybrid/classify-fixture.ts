import { cp, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTieredCache } from "../../../src/cache/index.js";
import { formatProblem, loadWorkflowText } from "../../../src/config/index.js";
import { createRunContext, runWorkflow, type RunOptions } from "../../../src/engine/index.js";
import { SimModel, type LanguageModel } from "../../../src/providers/index.js";

export const EXAMPLE_DATA = path.resolve("examples/code-review/training_data");

const PHRASES = {
  bug: "Off-by-one error skips the last element and crashes the worker",
  security: "The query concatenates untrusted input so an attacker can inject sql",
  style: "Inconsistent naming makes the helper hard to read",
  performance: "Repeated allocation in the hot loop adds slow latency",
} as const;

/** `n` unlabelled findings of the four kinds in turn, each distinct (numbered module). */
export function findings(n: number, prefix = "module"): string[] {
  const kinds = Object.values(PHRASES);
  return Array.from({ length: n }, (_, i) => `${kinds[i % 4]} in ${prefix} ${i}.`);
}

/** What a judge's rubric may tell it (the sim judge reads it; it never sees an expected answer). */
export const RUBRIC =
  "Which category fits the finding best? An attacker, untrusted input or injected sql means security. Slow latency, allocation or memory means performance. Naming or readability means style. Crashes or wrong elements mean bug.";

/**
 * The classify_findings example (sim: zero-shot 0.25, compiled 0.70 exact match on the held-out
 * examples: a +0.45 gain) run over `inputs` in a for_loop, with `hybrid` lines under hybrid_config.
 */
export function loopYaml(inputs: string[], hybrid = ""): string {
  return `workflow:
  name: classify
  steps:
    - { name: findings, type: set_variable, variables: { all: ${JSON.stringify(inputs)} } }
    - name: each
      type: for_loop
      iterator: finding
      data_source: all
      steps:
        - name: classify_finding
          type: claude
          signature:
            instructions: Classify the code-review finding into one category.
            input_fields: [{ name: finding, template: "{{loop.finding}}" }]
            output_fields: [{ name: category, type: literal, options: [bug, style, security, performance] }]
          metric: exact_match
          prompt:
            - { type: static, content: "Classify the code-review finding below. Answer with one of: bug, style, security, performance." }
            - { type: static, content: "{{loop.finding}}" }
  dspy_config:
    training_data_path: training_data
  hybrid_config:
    mode: hybrid
${hybrid.replace(/^/gm, "    ")}
`;
}

/** The same step at the top level, on one finding (its report entry shows the online block). */
export function singleYaml(finding: string, hybrid = ""): string {
  return loopYaml([], hybrid)
    .replace(/ {4}- \{ name: findings.*\n {4}- name: each\n[\s\S]*?steps:\n/, "")
    .replace(/^ {8}/gm, "    ")
    .replaceAll("{{loop.finding}}", finding);
}

/** A directory with the example's training data. */
export async function exampleDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "online-ab-"));
  await cp(EXAMPLE_DATA, path.join(dir, "training_data"), { recursive: true });
  return dir;
}

/** Runs `yaml` in `dir` under sim with the given seed, through a disk cache in `dir/cache` unless `cache: false`. */
export async function runIn(
  dir: string,
  yaml: string,
  options: { seed?: number; cache?: boolean; lm?: LanguageModel; run?: Partial<RunOptions> } = {},
) {
  await writeFile(path.join(dir, "wf.yaml"), yaml);
  const loaded = loadWorkflowText(yaml, "wf.yaml", { workdir: dir });
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join("\n"));
  const cache =
    options.cache === false
      ? null
      : await createTieredCache({ cacheDir: path.join(dir, "cache"), workdir: dir });
  const seed = options.seed ?? 1;
  try {
    return await runWorkflow({
      file: "wf.yaml",
      workflow: loaded.workflow,
      lm: options.lm ?? new SimModel(),
      context: createRunContext({ seed, now: () => Date.UTC(2026, 0, 2) }),
      seed: { value: seed, source: "option" },
      workdir: dir,
      cache,
      sleep: async () => {},
      ...options.run,
    });
  } finally {
    await cache?.close();
  }
}

/** Executions of classify_finding per route in a report's performance block. */
export function executions(report: Awaited<ReturnType<typeof runIn>>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of report.performance ?? [])
    if (p.step === "classify_finding") counts[p.route] = p.n;
  return counts;
}
