import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UsageError, type CliIo } from "../../src/cli/cli-io.js";
import { optimizeCommand } from "../../src/cli/commands/optimize.js";

const workflowYaml = `workflow:
  name: classify_demo
  steps:
    - name: classify_finding
      type: claude
      claude_options:
        model: haiku
      signature:
        instructions: Classify the code-review finding into one category.
        input_fields:
          - name: finding
            description: One code-review finding.
            template: "{{steps.security.result}}"
        output_fields:
          - name: category
            type: literal
            options: [bug, style, security, performance]
      metric: exact_match
      prompt:
        - type: static
          content: "Classify the code-review finding. Answer with one of: bug, style, security, performance."
        - type: static
          content: "{{steps.security.result}}"
  dspy_config:
    training_data_path: training_data
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "optimize-cli-"));
  await mkdir(join(dir, "training_data"));
  await copyFile(
    resolve(import.meta.dirname, "../../examples/code-review/training_data/classify_finding.jsonl"),
    join(dir, "training_data/classify_finding.jsonl"),
  );
  await writeFile(join(dir, "wf.yaml"), workflowYaml);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function io(): CliIo & { out: string; err: string } {
  const sink = {
    out: "",
    err: "",
    cwd: dir,
    env: {},
    stdout: (t: string) => void (sink.out += t),
    stderr: (t: string) => void (sink.err += t),
  };
  return sink;
}

describe("hybrid-pipeline optimize", () => {
  it("compiles with sim, prints the held-out comparison as simulated, and a second run makes 0 LM calls", async () => {
    const first = io();
    expect(
      await optimizeCommand.run(["wf.yaml", "--provider", "sim", "--out", "programs"], first),
    ).toBe(0);
    const lines = first.out.split("\n");
    expect(lines[0]).toBe(
      "optimize classify_demo · provider sim · simulated: every score and cost below comes from the offline sim provider",
    );
    // The held-out test split (34 of 80 by hash), never the optimizer's validation examples.
    expect(lines[1]).toBe(
      "classify_finding: exact_match held out (test n=34): traditional 0.206 → optimized 0.735, Δ +0.529 [95% CI +0.353, +0.706] (simulated)",
    );
    expect(lines[2]).toMatch(
      /^ {2}bootstrap_few_shot, compiled: \d+ demos \(4 bootstrapped\), trainset \d+, validation \d+$/,
    );
    expect(lines[3]).toMatch(
      /^ {2}LM calls this run: \d+ \(teacher \d+, proposal 0, evaluation 0, held-out 68, judge 0\), tokens \d+ in \/ \d+ out, cost \$\d+\.\d{4} \(simulated\)$/,
    );
    const saved = JSON.parse(
      await readFile(join(dir, "programs/classify_finding.json"), "utf8"),
    ) as Record<string, Record<string, unknown>>;
    expect(saved.hybrid_pipeline).toMatchObject({
      heldout: { split: "test", folds: null, n_labelled: 80 },
      optimizer: "bootstrap_few_shot",
      simulated: true,
    });

    const second = io();
    expect(await optimizeCommand.run(["wf.yaml", "--provider", "sim"], second)).toBe(0);
    expect(second.out).toContain("bootstrap_few_shot, from cache (disk)");
    expect(second.out).toContain(
      "LM calls this run: 0 (teacher 0, proposal 0, evaluation 0, held-out 0, judge 0)",
    );
  });

  it("keeps within --budget-calls", async () => {
    const out = io();
    expect(
      await optimizeCommand.run(
        [
          "wf.yaml",
          "--provider",
          "sim",
          "--no-cache",
          "--optimizer",
          "bootstrap_few_shot_random_search",
          "--budget-calls",
          "120",
        ],
        out,
      ),
    ).toBe(0);
    expect(out.out).toMatch(/LM calls this run: (\d+) /);
    expect(Number(/LM calls this run: (\d+) /.exec(out.out)![1])).toBeLessThanOrEqual(120);
  });

  it("prints file:line problems of bad training data and exits 1", async () => {
    await writeFile(
      join(dir, "training_data/classify_finding.jsonl"),
      '{"input": "a", "output": "bug"}\n{"input": "b"}\n',
    );
    const out = io();
    expect(await optimizeCommand.run(["wf.yaml", "--provider", "sim", "--no-cache"], out)).toBe(1);
    expect(out.out).toContain(
      "classify_finding: not compiled (optimization_failed): 1 problem(s) in the training data of step 'classify_finding'\ntraining_data/classify_finding.jsonl:2:1: error: record has no `output` (or `expected_output`)",
    );
  });

  it("rejects an unknown optimizer, listing the valid ones", async () => {
    await expect(optimizeCommand.run(["wf.yaml", "--optimizer", "simba"], io())).rejects.toThrow(
      new UsageError(
        "unknown optimizer 'simba'; valid: labeled_few_shot, bootstrap_few_shot, bootstrap_few_shot_random_search, copro, mipro",
      ),
    );
  });

  it("says how many labelled examples a step below the floor needs for a held-out verdict", async () => {
    const all = await readFile(join(dir, "training_data/classify_finding.jsonl"), "utf8");
    const six = all.split("\n").filter(Boolean).slice(0, 6).join("\n");
    await writeFile(join(dir, "training_data/classify_finding.jsonl"), `${six}\n`);
    const out = io();
    expect(await optimizeCommand.run(["wf.yaml", "--provider", "sim"], out)).toBe(0);
    expect(out.out.split("\n")).toContain(
      "classify_finding: needs more data for a held-out verdict: add at least 4 more labelled examples (have 6, floor 10) (simulated)",
    );
  });

  it("says which steps have a signature when --step names another", async () => {
    const out = io();
    expect(await optimizeCommand.run(["wf.yaml", "--provider", "sim", "--step", "nope"], out)).toBe(
      1,
    );
    expect(out.err).toBe(
      "wf.yaml: error: step 'nope' does not exist or has no signature (steps with a signature: classify_finding; add `signature:` to a step or dspy_config.signatures)\n",
    );
  });

  it("prints one line and exits 1 when the named provider has no key, as run does", async () => {
    const out = io();
    expect(await optimizeCommand.run(["wf.yaml", "--provider", "anthropic"], out)).toBe(1);
    expect(out.err).toBe(
      "hybrid-pipeline optimize: anthropic needs an API key: set ANTHROPIC_API_KEY, or use --provider sim\n",
    );
    expect(out.out).toBe("");
  });
});
