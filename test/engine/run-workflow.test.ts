import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../src/providers/index.js";
import { overloaded } from "./scripted-model.js";
import { runYaml } from "./run-helper.js";

const threeSteps = `
workflow:
  name: review
  global_vars: { lang: Python }
  steps:
    - name: analyze
      type: claude
      claude_options: { model: sonnet, system_prompt: "You review {{global_vars.lang}}." }
      prompt:
        - { type: static, content: "Review this:" }
        - { type: file, path: src/app.py }
    - name: security
      type: gemini
      model: flash
      prompt:
        - { type: static, content: "Findings:" }
        - { type: previous_response, step: analyze, extract: issues.0.problem }
    - name: summary
      type: claude
      output_to_file: summary.md
      prompt:
        - { type: previous_response, step: security }
`;

describe("runWorkflow (traditional)", () => {
  it("runs steps in order, passing file contents and extracted previous responses into prompts", async () => {
    const { report, requests, dir } = await runYaml(
      threeSteps,
      ['{"issues": [{"problem": "eval on input"}]}', "use ast.literal_eval", "Fix the eval."],
      {
        files: { "src/app.py": "eval(x)\n" },
      },
    );
    expect(report.status).toBe("success");
    expect(requests.map((r) => r.model)).toEqual([
      "claude-sonnet-4-6",
      "gemini-2.5-flash",
      "claude-sonnet-4-6",
    ]);
    expect(requests[0]!.system).toBe("You review Python.");
    expect(requests[0]!.messages).toEqual([{ role: "user", content: "Review this:\neval(x)\n" }]);
    expect(requests[1]!.messages[0]!.content).toBe("Findings:\neval on input");
    expect(requests[2]!.messages[0]!.content).toBe("use ast.literal_eval");
    expect(await readFile(path.join(dir, "outputs", "summary.md"), "utf8")).toBe("Fix the eval.");
    expect(report.steps.map((s) => [s.name, s.type, s.route, s.status])).toEqual([
      ["analyze", "claude", "traditional", "success"],
      ["security", "gemini", "traditional", "success"],
      ["summary", "claude", "traditional", "success"],
    ]);
    expect(report.lm_calls).toEqual({ step: 3, optimize: 0, evaluate: 0, judge: 0 });
    expect(report.steps[0]!.metrics).toEqual({
      latency_ms: 100,
      input_tokens: 10,
      output_tokens: 11,
      cost_usd: 0.001,
      quality: null,
    });
    expect(report.steps[0]!.decision).toEqual({
      route: "traditional",
      reason: "traditional mode: the step runs its own prompt",
      estimated_benefit: null,
    });
    expect(report).toMatchObject({
      schema_version: 2,
      workflow: "review",
      file: "wf.yaml",
      mode: "traditional",
      mode_source: "default",
      provider: "sim",
      simulated: true,
    });
    expect(report.cache).toEqual({
      hits: { memory: 0, disk: 0, distributed: 0 },
      misses: 0,
      promotions: 0,
      evictions: 0,
      corrupt_entries: 0,
      degraded: [],
    });
  });

  it("fails a step whose file part is missing, naming the step and the path, and does not run later steps", async () => {
    const { report, requests } = await runYaml(threeSteps, ["x"]);
    expect(requests).toHaveLength(0);
    expect(report.status).toBe("failed");
    expect(report.steps.map((s) => s.status)).toEqual(["failed", "not_run", "not_run"]);
    expect(report.steps[0]!.error).toMatch(
      /^step 'analyze': prompt file 'src\/app.py' does not exist \(looked at .*src\/app.py/,
    );
    expect(report.steps[1]!.route).toBe("skipped");
    expect(report.errors.traditional).toEqual({ file_not_found: 1 });
  });

  it("warns and uses the whole result when an extract path is missing, and fails under strict", async () => {
    const lenient = await runYaml(
      threeSteps.replace("issues.0.problem", "verdict"),
      ["plain text", "b", "c"],
      { files: { "src/app.py": "" } },
    );
    expect(lenient.report.status).toBe("success");
    expect(lenient.requests[1]!.messages[0]!.content).toBe("Findings:\nplain text");
    expect(lenient.report.warnings).toEqual([
      "step 'security': field 'verdict' not found in the result of step 'analyze'; using the whole result (set strict: true to fail instead)",
    ]);
  });

  it("records a provider failure redacted, stops the run and counts the error code", async () => {
    const { report } = await runYaml(threeSteps, ["{}", overloaded()], {
      files: { "src/app.py": "" },
    });
    expect(report.steps.map((s) => s.status)).toEqual(["success", "failed", "not_run"]);
    expect(report.steps[1]!.error).toBe("step 'security': sim overloaded: overloaded (529)");
    expect(report.errors.traditional).toEqual({ overloaded: 1 });
    expect(report.lm_calls.step).toBe(2);
  });

  it("redacts secrets and key-shaped tokens from a failed step's error", async () => {
    const leak = {
      error: new ProviderError(
        "auth",
        "bad key my-secret-value (sk-ant-api03-abcdefghijklmnop)",
        "sim",
        401,
      ),
    };
    const { report } = await runYaml(threeSteps, [leak], {
      files: { "src/app.py": "" },
      run: { secrets: ["my-secret-value"] },
    });
    expect(report.steps[0]!.error).toBe("step 'analyze': sim auth: bad key *** (***)");
  });

  it("stops at the budget: no call starts once it is spent, and the report is partial and says so", async () => {
    // Small max tokens, so each call's reserved worst case (prompt + max tokens) fits the budget until it is spent.
    const small = threeSteps.replace(
      "  name: review\n",
      "  name: review\n  defaults:\n    claude_options: { max_tokens: 10 }\n    gemini_token_budget: { max_output_tokens: 10 }\n",
    );
    const { report, requests } = await runYaml(small, ["{}", "b", "c"], {
      files: { "src/app.py": "" },
      run: { budgetUsd: 0.0015 },
    });
    expect(requests).toHaveLength(2);
    expect(report.status).toBe("partial");
    expect(report.steps.map((s) => s.status)).toEqual(["success", "success", "not_run"]);
    expect(report.steps[2]!.decision.reason).toBe("not run: the budget ran out before its LM call");
    expect(report.warnings).toContain(
      "budget of $0.0015 spent after 2 of 3 steps: the run stopped and this report is partial",
    );
    expect(report.steps[2]!.error).toMatch(
      /^step 'summary': sim budget_exhausted: budget exhausted: spent \$0\.0020 of \$0\.00/,
    );
    expect(report.budget).toEqual({ limit_usd: 0.0015, spent_usd: 0.002, exhausted: true });
  });

  it("warns once per Claude Code-only option, however many steps use it", async () => {
    const yaml = `
workflow:
  name: tools
  steps:
    - { name: a, type: claude, claude_options: { allowed_tools: [Read], max_turns: 2 }, prompt: [{ type: static, content: a }] }
    - { name: b, type: claude, claude_options: { allowed_tools: [Write] }, prompt: [{ type: static, content: b }] }
`;
    const { report, warnings } = await runYaml(yaml);
    expect(report.warnings).toEqual([
      "claude_options.allowed_tools (first seen on step 'a') needs Claude Code; hybrid-pipeline runs claude steps as Messages API completions, so it is recorded and has no effect",
      "claude_options.max_turns (first seen on step 'a') needs Claude Code; hybrid-pipeline runs claude steps as Messages API completions, so it is recorded and has no effect",
    ]);
    expect(warnings).toEqual(report.warnings);
  });

  it("skips a step whose condition is false and records why", async () => {
    const yaml = `
workflow:
  name: cond
  steps:
    - { name: score, type: claude, prompt: [{ type: static, content: rate }] }
    - { name: deep, type: claude, condition: "score.value > 7", prompt: [{ type: static, content: deep }] }
    - { name: quick, type: claude, condition: { and: ["score.value <= 7", { not: "score.missing" }] }, prompt: [{ type: static, content: "{{steps.score.value}}" }] }
`;
    const { report, requests } = await runYaml(yaml, ['{"value": 5}', "q"]);
    expect(report.steps.map((s) => s.status)).toEqual(["success", "skipped", "success"]);
    expect(report.steps[1]!.decision.reason).toBe("Condition not met: score.value > 7");
    expect(requests.map((r) => r.messages[0]!.content)).toEqual(["rate", "5"]);
  });

  it("retries a claude_robust step per retry_config and reports the attempts", async () => {
    const yaml = `
workflow:
  name: robust
  steps:
    - name: r
      type: claude_robust
      retry_config: { max_retries: 2, backoff_strategy: linear, retry_conditions: [overloaded] }
      prompt: [{ type: static, content: go }]
`;
    const delays: number[] = [];
    const { report, requests } = await runYaml(yaml, [overloaded(), overloaded(), "finally"], {
      run: { sleep: async (ms) => void delays.push(ms) },
    });
    expect(report.status).toBe("success");
    expect(requests).toHaveLength(3);
    expect(delays).toEqual([1000, 2000]);
    expect(report.lm_calls.step).toBe(3);
    expect(report.steps[0]!.output_preview).toBe("finally");
  });

  it("gives up on claude_robust after max_retries", async () => {
    const yaml = `
workflow:
  name: robust
  steps:
    - { name: r, type: claude_robust, retry_config: { max_retries: 1 }, prompt: [{ type: static, content: go }] }
`;
    const { report, requests } = await runYaml(yaml, [overloaded()]);
    expect(requests).toHaveLength(2);
    expect(report.steps[0]!.status).toBe("failed");
  });

  it("post-processes claude_extract output", async () => {
    const yaml = `
workflow:
  name: extract
  steps:
    - name: x
      type: claude_extract
      extraction_config: { post_processing: [extract_code_blocks, extract_links, extract_key_points] }
      prompt: [{ type: static, content: go }]
    - { name: y, type: claude, prompt: [{ type: previous_response, step: x, extract: links.0 }] }
`;
    const text =
      "See https://example.com/a.\n- first point\n- second point\n```py\nprint(1)\n```\n";
    const { requests, report } = await runYaml(yaml, [text, "ok"]);
    expect(report.status).toBe("success");
    expect(requests[1]!.messages[0]!.content).toBe("https://example.com/a");
  });

  it("resolves {{inputs}} from run options and counts a nested pipeline's calls in its step", async () => {
    const yaml = `
workflow:
  name: outer
  steps:
    - name: nested
      type: pipeline
      inputs: { topic: "{{inputs.topic}}" }
      outputs: [inner.text]
      pipeline:
        steps:
          - { name: inner, type: claude, prompt: [{ type: static, content: "About {{inputs.topic}}" }] }
    - { name: after, type: claude, prompt: [{ type: previous_response, step: nested, extract: text }] }
`;
    const { report, requests } = await runYaml(yaml, ["inner answer", "done"], {
      run: { inputs: { topic: "caching" } },
    });
    expect(requests.map((r) => r.messages[0]!.content)).toEqual(["About caching", "inner answer"]);
    expect(report.steps[0]!.metrics.input_tokens).toBe(4);
  });

  it("writes the requested mode into the report; steps without a signature route traditional and say why", async () => {
    const { report } = await runYaml(threeSteps, ["{}"], {
      files: { "src/app.py": "" },
      run: { mode: "hybrid" },
    });
    expect(report.mode).toBe("hybrid");
    expect(report.mode_source).toBe("run_option");
    expect(report.steps[0]!.route).toBe("traditional");
    expect(report.steps[0]!.decision.reason).toBe("no signature: nothing to optimize");
    expect(report.lm_calls.optimize).toBe(0);
  });
});
