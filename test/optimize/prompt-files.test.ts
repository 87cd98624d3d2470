import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunReport } from "../../src/report/index.js";

const projectRoot = path.resolve(import.meta.dirname, "../..");
const instruction =
  "Classify the code-review finding below. Answer with one of: bug, style, security, performance.";
const inline = `        - type: static\n          content: "${instruction}"`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "hp-prompt-files-"));
  await cp(path.join(projectRoot, "examples/code-review"), path.join(dir, "examples/code-review"), {
    recursive: true,
  });
  const yaml = await readFile(
    path.join(dir, "examples/code-review/classify_findings.yaml"),
    "utf8",
  );
  expect(yaml).toContain(inline);
  await writeFile(path.join(dir, "inline.yaml"), yaml);
  await writeFile(
    path.join(dir, "from-file.yaml"),
    yaml.replace(inline, "        - type: file\n          path: prompts/classify.md"),
  );
  await mkdir(path.join(dir, "prompts"), { recursive: true });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function evaluate(file: string, cacheDir: string): Promise<RunReport> {
  const out = path.join(dir, `${path.basename(cacheDir)}.json`);
  await promisify(execFile)(
    process.execPath,
    [
      path.join(projectRoot, "bin/hybrid-pipeline.js"),
      "run",
      file,
      "--provider",
      "sim",
      "--mode",
      "evaluation",
      "--seed",
      "1",
      "--quiet",
      "--cache-dir",
      cacheDir,
      "--report-json",
      out,
    ],
    { cwd: dir, env: { PATH: process.env.PATH ?? "" } },
  );
  return JSON.parse(await readFile(out, "utf8")) as RunReport;
}

describe("a step whose instruction is in a prompt file", () => {
  it("is compiled and scored on the file's text, and an edited file is a new program", async () => {
    await writeFile(path.join(dir, "prompts/classify.md"), instruction);
    const asWritten = await evaluate("inline.yaml", path.join(dir, "cache-inline"));
    const cacheDir = path.join(dir, "cache-file");
    const fromFile = await evaluate("from-file.yaml", cacheDir);
    // The traditional arm sends the same text either way, so it scores the same.
    expect(fromFile.steps[0]!.ab!.traditional.mean).toBe(asWritten.steps[0]!.ab!.traditional.mean);
    expect(fromFile.steps[0]!.ab!.pairs).toEqual(asWritten.steps[0]!.ab!.pairs);

    const again = await evaluate("from-file.yaml", cacheDir);
    expect(again.steps[0]!.decision.reason).toMatch(/program from the disk cache/);
    expect(again.lm_calls.evaluate).toBe(0);
    await writeFile(
      path.join(dir, "prompts/classify.md"),
      `${instruction} Think about who is harmed.`,
    );
    const edited = await evaluate("from-file.yaml", cacheDir);
    // The optimizer's own calls are the LM-call cache's; the traditional arm's are new requests.
    expect(edited.steps[0]!.decision.reason).toMatch(/program compiled now/);
    expect(edited.lm_calls.evaluate).toBeGreaterThan(0);
  });
});
