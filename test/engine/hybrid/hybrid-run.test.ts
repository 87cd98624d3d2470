import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTieredCache } from "../../../src/cache/index.js";
import { formatProblem, loadWorkflowText } from "../../../src/config/index.js";
import { runWorkflow, type RunOptions } from "../../../src/engine/index.js";
import { SimModel, type LanguageModel } from "../../../src/providers/index.js";
import { renderMarkdownReport } from "../../../src/render/index.js";
import { testContext } from "../scripted-model.js";
import { RUBRIC } from "./classify-fixture.js";

const EXAMPLE_DATA = path.resolve("examples/code-review/training_data");

/**
 * The classify_findings example (80 labelled findings; sim on the 34 of its held-out test split: the
 * step's own prompt vs the compiled program, Δ +0.529 with 95% CI [+0.353, +0.706]) with the hybrid
 * settings and step fields a test needs.
 */
function classifyYaml(
  options: {
    hybrid?: string;
    step?: string;
    dataPath?: string;
    loop?: number;
    prefix?: string;
  } = {},
): string {
  const step = (indent: string) =>
    [
      `name: classify_finding`,
      `type: claude`,
      ...(options.step ? [options.step] : []),
      `signature:`,
      `  instructions: Classify the code-review finding into one category.`,
      `  input_fields: [{ name: finding, template: "${options.loop ? "{{loop.finding}}" : "{{global_vars.finding}}"}" }]`,
      `  output_fields: [{ name: category, type: literal, options: [bug, style, security, performance] }]`,
      `metric: exact_match`,
      `prompt:`,
      `  - { type: static, content: "Classify the code-review finding below. Answer with one of: bug, style, security, performance." }`,
      `  - { type: static, content: "${options.loop ? "{{loop.finding}}" : "{{global_vars.finding}}"}" }`,
    ]
      .map((line, i) => `${indent}${i === 0 ? "- " : "  "}${line}`)
      .join("\n");
  const findings = Array.from(
    { length: options.loop ?? 0 },
    (_, i) =>
      `"${options.prefix ?? "Finding"} ${i}: the query concatenates untrusted input so an attacker can inject sql."`,
  );
  const steps = options.loop
    ? `    - { name: findings, type: set_variable, variables: { all: [${findings.join(", ")}] } }
    - name: each
      type: for_loop
      iterator: finding
      data_source: all
      steps:
${step("        ")}`
    : step("    ");
  return `workflow:
  name: classify
  global_vars:
    finding: Query built by string concatenation lets an attacker inject untrusted input in the login view.
  steps:
${steps}
  dspy_config:
    training_data_path: ${options.dataPath ?? "training_data"}
  hybrid_config:
    mode: hybrid
${(options.hybrid ?? "").replace(/^/gm, "    ")}
`;
}

async function run(
  yaml: string,
  options: { lm?: LanguageModel; run?: Partial<RunOptions>; dir?: string; data?: boolean } = {},
) {
  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), "hybrid-run-")));
  if (options.data !== false && !options.dir)
    await cp(EXAMPLE_DATA, path.join(dir, "training_data"), { recursive: true });
  await writeFile(path.join(dir, "wf.yaml"), yaml);
  const loaded = loadWorkflowText(yaml, "wf.yaml", { workdir: dir });
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join("\n"));
  const { context } = testContext();
  const report = await runWorkflow({
    file: "wf.yaml",
    workflow: loaded.workflow,
    lm: options.lm ?? new SimModel(),
    context,
    workdir: dir,
    sleep: async () => {},
    ...options.run,
  });
  return {
    report,
    dir,
    step: report.steps.find((s) => s.name === "classify_finding") ?? report.steps.at(-1)!,
  };
}

describe("hybrid routing through a run (sim provider, held-out Δ +0.529 [+0.353, +0.706])", () => {
  it("routes optimized when the held-out CI's lower bound exceeds the threshold, runs the compiled program and says why", async () => {
    const { report, step } = await run(classifyYaml());
    expect(report.mode).toBe("hybrid");
    expect(step.route).toBe("optimized");
    expect(step.decision.reason).toMatch(
      /^held-out Δ \+0\.529, 95% CI \[\+0\.353, \+0\.706\] on 34 test examples, exact_match: lower bound \+0\.353 > threshold 0\.1; program compiled now \(\d+ LM calls; evidence: 34 test examples, exact_match\)$/,
    );
    expect(step.decision.estimated_benefit).toBeCloseTo(0.529, 3);
    // The evidence routing read is the step's A/B block, with the same interval and no extra LM call.
    expect(step.ab).toMatchObject({ source: "evaluation", n: 34, recommendation: "use_optimized" });
    expect(step.ab!.delta).toBeCloseTo(0.529, 3);
    expect(step.ab!.heldout!.verdict).toBe("better");
    expect(step.output_preview).toBe("security");
    expect(report.lm_calls.optimize).toBeGreaterThan(0);
    expect(report.lm_calls.step).toBe(1);
  });

  it("routes A/B while the CI contains the threshold (a canary without a judge), and traditional when its upper bound is below it", async () => {
    const ab = await run(classifyYaml({ hybrid: "performance_threshold: 0.5" }));
    // Without hybrid_config.online_judge the A/B route is a canary: one arm per input, no pair paid for.
    expect(["traditional", "optimized"]).toContain(ab.step.route);
    expect(ab.step.decision.reason).toMatch(
      /^held-out Δ \+0\.529, 95% CI \[\+0\.353, \+0\.706\] on 34 test examples, exact_match: the CI contains threshold 0\.5: A\/B; canary chose (optimized|traditional) \(no online judge: no pairs paid for\)/,
    );
    expect(ab.report.lm_calls.step).toBe(1);
    expect(ab.step.online).toMatchObject({ scorer: "canary", distinct_inputs: 1 });
    // No online pairs paid for: the A/B block is the held-out evidence routing read.
    expect(ab.step.ab).toMatchObject({ source: "evaluation", n: 34, heldout: { split: "test" } });
    expect(ab.step.ab!.ci95[0]).toBeCloseTo(0.353, 3);
    const low = await run(classifyYaml({ hybrid: "performance_threshold: 0.75" }));
    expect(low.step.route).toBe("traditional");
    expect(low.step.decision.reason).toMatch(/: upper bound \+0\.706 < threshold 0\.75;/);
    expect(low.step.ab).toMatchObject({ recommendation: "use_traditional" });
    expect(low.report.lm_calls.step).toBe(1);
  });

  it("routes traditional instead of A/B when ab_testing_enabled is false and the CI contains the threshold", async () => {
    const { step } = await run(
      classifyYaml({ hybrid: "performance_threshold: 0.5\nab_testing_enabled: false" }),
    );
    expect(step.route).toBe("traditional");
    expect(step.decision.reason).toMatch(
      /the CI contains threshold 0\.5 \(A\/B testing off: traditional\)/,
    );
  });

  it("never compiles a step forced to execution_mode: traditional", async () => {
    const { report, step } = await run(classifyYaml({ step: "execution_mode: traditional" }));
    expect(step.route).toBe("traditional");
    expect(step.decision.reason).toBe("step sets execution_mode: traditional");
    expect(report.lm_calls.optimize).toBe(0);
    expect(step.ab).toBeUndefined();
  });

  it("falls back with dspy_unavailable when the step has no training data", async () => {
    const { report, step } = await run(classifyYaml(), { data: false });
    expect(step.route).toBe("traditional");
    expect(step.status).toBe("fallback");
    expect(step.fallback?.reason).toBe("dspy_unavailable");
    expect(step.fallback?.detail).toMatch(
      /^no training data for step 'classify_finding' \(looked for /,
    );
    expect(report.status).toBe("success");
    expect(report.errors.optimized).toEqual({});
  });

  it("turns a fallback into a failed step with a clear message when fallback_enabled is false", async () => {
    const { report, step } = await run(classifyYaml({ hybrid: "fallback_enabled: false" }), {
      data: false,
    });
    expect(report.status).toBe("failed");
    expect(step.status).toBe("failed");
    expect(step.error).toMatch(
      /^step 'classify_finding': the optimized variant is unavailable \(dspy_unavailable: no training data .*\) and fallback is off \(hybrid_config\.fallback_enabled: false\); set it to true/,
    );
    expect(report.errors.traditional).toEqual({ fallback_disabled: 1 });
  });

  it("treats dspy_config.fallback_strategy: fail like fallback_enabled: false, unless hybrid_config says otherwise", async () => {
    const failing = classifyYaml().replace(
      "training_data_path: training_data",
      "training_data_path: training_data\n    fallback_strategy: fail",
    );
    const refused = await run(failing, { data: false });
    expect(refused.step.status).toBe("failed");
    expect(refused.step.error).toMatch(/and fallback is off/);
    const allowed = await run(
      failing.replace("mode: hybrid", "mode: hybrid\n    fallback_enabled: true"),
      { data: false },
    );
    expect(allowed.step.status).toBe("fallback");
  });

  it("falls back with optimization_failed when the training data is invalid, and counts the fault", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "hybrid-run-"));
    await cp(EXAMPLE_DATA, path.join(dir, "training_data"), { recursive: true });
    await writeFile(
      path.join(dir, "training_data", "classify_finding.jsonl"),
      '{"input": {"finding": "x"}}\n{"nonsense": true}\n',
    );
    const { step, report } = await run(classifyYaml(), { dir });
    expect(step.fallback?.reason).toBe("optimization_failed");
    expect(step.fallback?.detail).toMatch(
      /problem\(s\) in the training data of step 'classify_finding'/,
    );
    expect(report.errors.optimized).toEqual({ optimization_failed: 1 });
  });

  it("falls back with timeout when the compiled program does not answer within optimized_timeout_ms", async () => {
    const sim = new SimModel();
    // Only the compiled program's run-time call is slow (ChatAdapter markers, purpose step): compiling stays fast.
    const slowOptimized: LanguageModel = {
      provider: "sim",
      simulated: true,
      async complete(request, signal) {
        if (request.purpose === "step" && request.system?.includes("[[ ##"))
          await new Promise((r) => setTimeout(r, 200));
        return sim.complete(request, signal);
      },
    };
    const { step, report } = await run(classifyYaml({ hybrid: "optimized_timeout_ms: 20" }), {
      lm: slowOptimized,
    });
    expect(step.route).toBe("traditional");
    expect(step.fallback).toEqual({
      reason: "timeout",
      detail:
        "the compiled program gave no answer within 20 ms (hybrid_config.optimized_timeout_ms)",
    });
    expect(step.decision.reason).toMatch(/^fallback: timeout/);
    expect(report.errors.optimized).toEqual({ timeout: 1 });
    expect(report.status).toBe("success");
  });

  it("runs every step with a program optimized in dspy_optimized mode", async () => {
    const { step } = await run(classifyYaml({ hybrid: "performance_threshold: 0.9" }), {
      run: { mode: "dspy_optimized" },
    });
    expect(step.route).toBe("optimized");
    expect(step.decision.reason).toMatch(/^mode dspy_optimized: compiled program available/);
  });
});

describe("evaluation mode", () => {
  it("reports the held-out comparison (test split) with paired statistics, verdict and per-pair scores", async () => {
    const { report, step } = await run(classifyYaml(), { run: { mode: "evaluation" } });
    expect(step.route).toBe("ab");
    const ab = step.ab!;
    expect(ab.source).toBe("evaluation");
    expect(ab.metric).toBe("exact_match");
    expect(ab.metric_kind).toBe("binary");
    expect(ab.n).toBe(34);
    expect(ab.pairs).toHaveLength(34);
    expect(ab.delta).toBeCloseTo(0.529, 3);
    expect(ab.ci95[0]).toBeCloseTo(0.353, 3);
    expect(ab.p_value).toBeLessThan(0.001);
    expect(ab.wins - ab.losses).toBe(18);
    expect(ab.heldout).toMatchObject({
      split: "test",
      folds: null,
      n: 34,
      n_labelled: 80,
      test: "paired_t",
      verdict: "better",
      q_value: ab.p_value,
      ci_fdr: ab.ci95,
      validity: { traditional: 1, optimized: 1 },
    });
    expect(ab.recommendation).toBe("use_optimized");
    expect(report.fdr).toMatchObject({ m: 1, rejected: 1, level: 0.95 });
    // Held-out scoring happens while compiling: 2 calls per test example (both arms read at once).
    expect(report.lm_calls.evaluate).toBe(68);
    expect(report.simulated).toBe(true);
  });
});

describe("too few labelled examples", () => {
  it("says needs_more_data below min_labelled_examples and never routes optimized on it", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "hybrid-run-"));
    await cp(EXAMPLE_DATA, path.join(dir, "training_data"), { recursive: true });
    const file = path.join(dir, "training_data", "classify_finding.jsonl");
    const lines = (await readFile(file, "utf8")).split("\n").filter(Boolean).slice(0, 8);
    await writeFile(file, lines.join("\n") + "\n");
    const evaluation = await run(classifyYaml(), { dir, run: { mode: "evaluation" } });
    expect(evaluation.step.ab).toMatchObject({
      n: 0,
      recommendation: "needs_more_data",
      recommendation_reason:
        "needs more data for a held-out verdict: add at least 2 more labelled examples (have 8, floor 10)",
      heldout: {
        split: "none",
        verdict: "needs_more_data",
        n_labelled: 8,
        q_value: null,
        needed: { basis: "floor", labelled_examples: 10, add_labelled_examples: 2 },
      },
    });
    expect(evaluation.report.fdr).toBeUndefined();
    const hybrid = await run(classifyYaml({ hybrid: "ab_testing_enabled: false" }), { dir });
    expect(hybrid.step.route).toBe("traditional");
    expect(hybrid.step.decision.reason).toMatch(
      /^8 labelled examples \(< 10: needs more data\), exact_match \(A\/B testing off: traditional\)/,
    );
  });
});

describe("evaluation repeats", () => {
  it("runs each held-out example evaluation_repeats times per arm and reports per-example pass rates", async () => {
    const yaml = classifyYaml().replace(
      "training_data_path: training_data",
      "training_data_path: training_data\n    evaluation_repeats: 2\n    evaluation_temperature: 0.7",
    );
    const { report, step } = await run(yaml, { run: { mode: "evaluation" } });
    const heldout = step.ab!.heldout!;
    expect(heldout).toMatchObject({ repeats: 2, n: 34 });
    expect(heldout.per_example).toHaveLength(34);
    expect(heldout.pass_k!.optimized).toBeCloseTo(step.ab!.optimized.mean, 10);
    expect(report.lm_calls.evaluate).toBe(2 * 68);
  });
});

describe("online A/B across iterations and runs", () => {
  it("stops paying for both variants once the always-valid test on the judge's preferences decides, and keeps the evidence in the cache", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "hybrid-ab-"));
    await cp(EXAMPLE_DATA, path.join(dir, "training_data"), { recursive: true });
    const hybrid = `performance_threshold: 0.5\nonline_judge: { rubric: "${RUBRIC}" }`;
    const yaml = classifyYaml({ hybrid, loop: 200 });
    const cacheDir = path.join(dir, "cache");
    const first = await (async () => {
      const cache = await createTieredCache({ cacheDir, workdir: dir });
      try {
        return await run(yaml, { dir, run: { cache } });
      } finally {
        await cache.close();
      }
    })();
    const loopStep = first.report.steps.find((s) => s.name === "each")!;
    expect(loopStep.status).toBe("success");
    // Every paired input costs one extra call; the test needs at least 10 pairs (burn-in) to decide.
    const extra = first.report.lm_calls.step - 200;
    expect(extra).toBeGreaterThanOrEqual(10);
    expect(extra / 200).toBeLessThanOrEqual(0.25);
    // The performance monitor sees every one of the 200 executions, per route, with its own latency and tokens.
    const perf = first.report.performance!.filter((p) => p.step === "classify_finding");
    expect(perf.reduce((n, p) => n + p.n, 0)).toBe(200);
    expect(perf.find((p) => p.route === "ab")!.n).toBe(extra);
    for (const p of perf) {
      expect(p.success_rate).toBe(1);
      expect(p.latency_p95_ms).toBeGreaterThanOrEqual(p.latency_p50_ms);
      expect(p.input_tokens).toBeGreaterThan(0);
    }
    const markdown = renderMarkdownReport([first.report]);
    expect(markdown).toContain("**This run's executions by step and route**");
    expect(markdown).toMatch(new RegExp(`\\| classify_finding \\| A/B \\| ${extra} \\| 100% \\|`));

    const cache = await createTieredCache({ cacheDir, workdir: dir });
    try {
      // New inputs, so the LM-call cache cannot answer them: every call below is sent.
      const second = await run(classifyYaml({ hybrid, loop: 200, prefix: "Next run finding" }), {
        dir,
        run: { cache },
      });
      expect(second.report.lm_calls.optimize).toBe(0);
      // The decided test carries over: no pairs at all in the second run.
      expect(second.report.lm_calls.step).toBe(200);
    } finally {
      await cache.close();
    }
  });
});

describe("run-time inputs of the compiled program", () => {
  it("reads {{file:PATH}} and {{steps.x.result}} templates, as migration writes them", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "hybrid-inputs-"));
    await cp(EXAMPLE_DATA, path.join(dir, "training_data"), { recursive: true });
    await writeFile(
      path.join(dir, "finding.txt"),
      "An attacker can inject sql through the search box.",
    );
    // The example's records, each given the second input field too.
    const records = (await readFile(path.join(EXAMPLE_DATA, "classify_finding.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map(
        (line) =>
          JSON.parse(line) as { input: unknown; output: unknown; expected_output?: unknown },
      );
    const withWhere = records.map((r) => ({
      input: {
        finding: typeof r.input === "string" ? r.input : (r.input as { finding: string }).finding,
        where: "in the web layer",
      },
      output: r.output ?? r.expected_output,
    }));
    await writeFile(
      path.join(dir, "training_data", "classify_finding.jsonl"),
      withWhere.map((r) => JSON.stringify(r)).join("\n"),
    );
    const yaml = `workflow:
  name: inputs
  steps:
    - { name: context, type: claude, prompt: [{ type: static, content: "Say where the code lives." }] }
    - name: classify_finding
      type: claude
      signature:
        input_fields:
          - { name: finding, template: "{{file:finding.txt}}" }
          - { name: where, template: "{{steps.context.result}}" }
        output_fields: [{ name: category, type: literal, options: [bug, style, security, performance] }]
      metric: exact_match
      prompt: [{ type: file, path: finding.txt }, { type: previous_response, step: context }]
  dspy_config: { training_data_path: training_data }
  hybrid_config: { mode: dspy_optimized }
`;
    const sim = new SimModel();
    const stepRequests: string[] = [];
    const recording: LanguageModel = {
      provider: "sim",
      simulated: true,
      complete: (request, signal) => {
        if (request.purpose === "step") stepRequests.push(request.messages.at(-1)!.content);
        return sim.complete(request, signal);
      },
    };
    const { report } = await run(yaml, { dir, lm: recording });
    const step = report.steps[1]!;
    expect(step.route).toBe("optimized");
    expect(stepRequests[1]).toContain(
      "[[ ## finding ## ]]\nAn attacker can inject sql through the search box.",
    );
    expect(stepRequests[1]).toMatch(/\[\[ ## where ## \]\]\n\[simulated\]/);
  });

  it("falls back with optimization_failed, naming the field, when a template resolves to nothing", async () => {
    const yaml = classifyYaml().replace(
      'template: "{{global_vars.finding}}"',
      'template: "{{global_vars.nowhere}}"',
    );
    const { step, report } = await run(yaml);
    expect(step.route).toBe("traditional");
    expect(step.fallback).toEqual({
      reason: "optimization_failed",
      detail:
        "input field 'finding' of step 'classify_finding': {{global_vars.nowhere}} resolves to nothing",
    });
    expect(report.errors.optimized).toEqual({ input_unavailable: 1 });
  });
});

describe("claude_session steps on the optimized route", () => {
  it("still add their exchange to the session transcript the next step continues", async () => {
    const yaml = classifyYaml()
      .replace(
        "type: claude\n",
        "type: claude_session\n      session_config: { session_name: review }\n",
      )
      .replace(
        "  dspy_config:",
        `    - name: follow_up
      type: claude_session
      session_config: { session_name: review }
      prompt: [{ type: static, content: "And why?" }]
  dspy_config:`,
      );
    const sim = new SimModel();
    const requests: Array<{ content: string; history: number }> = [];
    const recording: LanguageModel = {
      provider: "sim",
      simulated: true,
      complete: (request, signal) => {
        if (request.purpose === "step")
          requests.push({
            content: request.messages.at(-1)!.content,
            history: request.messages.length - 1,
          });
        return sim.complete(request, signal);
      },
    };
    const { report } = await run(yaml, { lm: recording });
    expect(report.steps.map((s) => [s.name, s.route])).toEqual([
      ["classify_finding", "optimized"],
      ["follow_up", "traditional"],
    ]);
    // follow_up sends the classify exchange (user prompt + the program's answer) before its own question.
    expect(requests.at(-1)).toEqual({ content: "And why?", history: 2 });
  });
});
