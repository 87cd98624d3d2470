import { copyFile, cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { main } from "../../src/cli/main.js";

const projectRoot = path.resolve(import.meta.dirname, "../..");
const workflowFile = "examples/code-review/classify_findings.yaml";

function captureIo(cwd: string): CliIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    cwd,
    env: {},
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    out: () => out,
    err: () => err,
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "show-prompt-"));
  await cp(path.join(projectRoot, "examples/code-review"), path.join(dir, "examples/code-review"), {
    recursive: true,
  });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const args = ["show-prompt", workflowFile, "--step", "classify_finding", "--provider", "sim"];

describe("hybrid-pipeline show-prompt", () => {
  it("prints both variants' messages for an input, the optimized one from the program file", async () => {
    const target = path.join(
      dir,
      ".hybrid-pipeline/programs/classify_findings/classify_finding.json",
    );
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(projectRoot, "test/optimize/fixtures/dspy/predict-self.json"), target);
    const io = captureIo(dir);
    expect(
      await main([...args, "--input", "finding=The retry loop sleeps while holding the lock."], io),
    ).toBe(0);
    const out = io.out();
    expect(out.split("\n## optimized")[0]).toBe(
      [
        "show-prompt classify_findings · step classify_finding · model claude-haiku-4-5",
        "inputs: finding (given)",
        "",
        "## traditional: the step's own prompt",
        "",
        "### system",
        "",
        "(none)",
        "",
        "### user",
        "",
        "```text",
        "Classify the code-review finding below. Answer with one of: bug, style, security, performance.",
        "The retry loop sleeps while holding the lock.",
        "```",
        "",
      ].join("\n"),
    );
    expect(out).toContain(
      "## optimized: external program .hybrid-pipeline/programs/classify_findings/classify_finding.json (saved by DSPy, predictor 'self'); 2 demos",
    );
    expect(out).toContain("        Sort the review finding into exactly one category.\n```");
    expect(out.match(/^### (user|assistant)$/gm)).toEqual([
      "### user",
      "### user",
      "### assistant",
      "### user",
      "### assistant",
      "### user",
    ]);
    expect(
      out
        .trimEnd()
        .endsWith(
          "[[ ## finding ## ]]\nThe retry loop sleeps while holding the lock.\n\nRespond with the corresponding output fields, starting with the field `[[ ## category ## ]]` (must be formatted as a valid Python Literal['bug', 'style', 'security', 'performance']), and then ending with the marker for `[[ ## completed ## ]]`.\n```",
        ),
    ).toBe(true);
  });

  it("shows the zero-shot program and the input's template when there is no program and no --input", async () => {
    const io = captureIo(dir);
    expect(await main([...args, "--cache-dir", "empty-cache"], io)).toBe(0);
    expect(io.out()).toContain("inputs: finding (template)");
    expect(io.out()).toContain(
      "## optimized: zero-shot program: no committed or cached program; 0 demos",
    );
    expect(io.out()).toContain("[[ ## finding ## ]]\n{{global_vars.finding}}\n");
  });

  it("exits 2 on an input field the step does not have", async () => {
    const io = captureIo(dir);
    expect(await main([...args, "--input", "code=x"], io)).toBe(2);
    expect(io.err()).toContain("--input: the step has no input field 'code' (fields: finding)");
  });
});
