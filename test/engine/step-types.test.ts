import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runYaml } from "./run-helper.js";

describe("non-LLM and multi-call step types", () => {
  it("set_variable assigns typed values that later templates and arithmetic read", async () => {
    const yaml = `
workflow:
  name: vars
  steps:
    - { name: init, type: set_variable, variables: { counter: 1, who: "{{global_vars.team}}" } }
    - { name: bump, type: set_variable, variables: { counter: "{{state.counter + 1}}" } }
    - { name: ask, type: claude, prompt: [{ type: static, content: "{{who}} at {{state.counter}} (x2 = {{multiply(state.counter, 2)}})" }] }
  global_vars: { team: core }
`;
    const { requests, report } = await runYaml(yaml);
    expect(report.status).toBe("success");
    expect(requests[0]!.messages[0]!.content).toBe("core at 2 (x2 = 4)");
  });

  it("for_loop runs its steps per item with loop variables and collects the iteration results", async () => {
    const yaml = `
workflow:
  name: loop
  steps:
    - { name: files, type: set_variable, variables: { names: [a.py, b.py] } }
    - name: each
      type: for_loop
      iterator: file
      data_source: names
      steps:
        - { name: review, type: claude, prompt: [{ type: static, content: "{{loop.index}}: {{loop.file}}" }] }
    - { name: report, type: claude, prompt: [{ type: previous_response, step: each, extract: results.1.review.text }] }
`;
    const { requests, report } = await runYaml(yaml, [(r) => `reviewed ${r.messages[0]!.content}`]);
    expect(report.status).toBe("success");
    expect(requests.map((r) => r.messages[0]!.content)).toEqual([
      "0: a.py",
      "1: b.py",
      "reviewed 1: b.py",
    ]);
  });

  it("while_loop stops when its condition turns false and reports why", async () => {
    const yaml = `
workflow:
  name: while
  steps:
    - { name: init, type: set_variable, variables: { n: 0 } }
    - name: grow
      type: while_loop
      condition: "state.n < 3"
      max_iterations: 10
      steps:
        - { name: inc, type: set_variable, variables: { n: "{{state.n + 1}}" } }
`;
    const { report } = await runYaml(yaml);
    expect(report.status).toBe("success");
    expect(report.steps[1]!.output_preview).toContain('"iterations": 3');
    expect(report.steps[1]!.output_preview).toContain('"exit_reason": "condition_false"');
  });

  it("parallel_claude runs tasks concurrently within --concurrency and keys results by task id", async () => {
    const tasks = Array.from(
      { length: 6 },
      (_, i) => `        - { id: t${i}, prompt: [{ type: static, content: "task ${i}" }] }`,
    ).join("\n");
    const yaml = `
workflow:
  name: par
  steps:
    - name: fan
      type: parallel_claude
      parallel_tasks:
${tasks}
    - { name: pick, type: claude, prompt: [{ type: previous_response, step: fan, extract: t4 }] }
`;
    const { requests, maxInFlight, report } = await runYaml(
      yaml,
      [(r) => `done ${r.messages[0]!.content}`],
      { delayMs: 20, run: { concurrency: 2 } },
    );
    expect(report.status).toBe("success");
    expect(maxInFlight()).toBe(2);
    expect(requests.at(-1)!.messages[0]!.content).toBe("done task 4");
    expect(report.lm_calls.step).toBe(7);
  });

  it("data_transform filters, maps and sorts a previous result", async () => {
    const yaml = `
workflow:
  name: transform
  steps:
    - { name: orders, type: set_variable, variables: { list: [{ id: 1, total: 50, tier: "1" }, { id: 2, total: 300, tier: "2" }, { id: 3, total: 150, tier: "1" }] } }
    - name: big
      type: data_transform
      input_source: "previous_response:orders:list"
      output_field: big_orders
      operations:
        - { operation: filter, condition: "total > 100" }
        - { operation: map, field: tier, mapping: { "1": gold, "2": silver } }
        - { operation: sort, field: total, order: desc }
    - { name: say, type: claude, prompt: [{ type: static, content: "{{big_orders}}" }] }
`;
    const { requests } = await runYaml(yaml);
    expect(JSON.parse(requests[0]!.messages[0]!.content)).toEqual([
      { id: 2, total: 300, tier: "silver" },
      { id: 3, total: 150, tier: "gold" },
    ]);
  });

  it("file_ops copies within the workspace and fails clearly on a missing source", async () => {
    const yaml = `
workflow:
  name: files
  workspace_dir: ws
  steps:
    - { name: copy, type: file_ops, operation: copy, source: in.txt, destination: out/copy.txt }
    - { name: missing, type: file_ops, operation: copy, source: nope.txt, destination: x.txt }
`;
    const { report, dir } = await runYaml(yaml, [], { files: { "ws/in.txt": "hello" } });
    expect(await readFile(path.join(dir, "ws", "out", "copy.txt"), "utf8")).toBe("hello");
    expect(report.steps[1]!.status).toBe("failed");
    expect(report.steps[1]!.error).toMatch(
      /^step 'missing': file_ops copy failed: no such file .*ws\/nope.txt$/,
    );
  });

  it("refuses a nested pipeline that includes itself", async () => {
    const yaml = `
workflow:
  name: loop_me
  steps:
    - { name: again, type: pipeline, pipeline_file: wf.yaml }
`;
    const { report } = await runYaml(yaml);
    expect(report.steps[0]!.status).toBe("failed");
    expect(report.steps[0]!.error).toBe(
      "step 'again': circular pipeline reference: wf.yaml → wf.yaml",
    );
  });

  it("runs a nested pipeline file with inputs and returns its listed outputs", async () => {
    const child = `
workflow:
  name: child
  steps:
    - { name: echo, type: claude, prompt: [{ type: static, content: "child got {{inputs.value}}" }] }
`;
    const yaml = `
workflow:
  name: parent
  steps:
    - { name: call, type: pipeline, pipeline_file: child.yaml, inputs: { value: 42 }, outputs: [{ path: echo.text, as: answer }] }
    - { name: use, type: claude, prompt: [{ type: previous_response, step: call, extract: answer }] }
`;
    const { requests, report } = await runYaml(yaml, [(r) => `echo: ${r.messages[0]!.content}`], {
      files: { "child.yaml": child },
    });
    expect(report.status).toBe("success");
    expect(requests.map((r) => r.messages[0]!.content)).toEqual([
      "child got 42",
      "echo: child got 42",
    ]);
  });

  it("writes a JSON result to an output_to_file ending in .json", async () => {
    const yaml = `
workflow:
  name: out
  defaults: { output_dir: results }
  steps:
    - { name: g, type: gemini, output_to_file: g.json, prompt: [{ type: static, content: hi }] }
`;
    const { dir } = await runYaml(yaml, ["hello"]);
    const saved = JSON.parse(await readFile(path.join(dir, "results", "g.json"), "utf8"));
    expect(saved).toMatchObject({ content: "hello", success: true });
  });
});
