import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { main } from "../../src/cli/main.js";

let dir: string;

async function validate(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: dir,
    env: {},
  };
  const code = await main(["validate", ...args], io);
  return { code, stdout, stderr };
}

const good =
  "workflow:\n  name: ok\n  steps:\n    - name: s\n      type: claude\n      prompt: [{type: static, content: hi}]\n";
const warned =
  "workflow:\n  name: w\n  steps:\n    - name: s\n      type: claude\n      prompt: hello\n";
const bad =
  "workflow:\n  name: bad\n  hybrid_config:\n    mode: fast\n  steps:\n    - name: s\n      type: claude\n      prompt: [{type: static, content: hi}]\n";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "validate-"));
  writeFileSync(join(dir, "good.yaml"), good);
  writeFileSync(join(dir, "warned.yaml"), warned);
  writeFileSync(join(dir, "bad.yaml"), bad);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("hybrid-pipeline validate", () => {
  it("exits 0 for valid files, printing warnings and the summary", async () => {
    const result = await validate("good.yaml", "warned.yaml");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        "warned.yaml:6:15: warning: prompt is a plain string; pipeline_ex's loader rejects it (read here as one static part)",
        "  hint: write it as a list: prompt: [{type: static, content: ...}]",
        "2 files: 2 valid, 0 invalid",
        "",
      ].join("\n"),
    );
  });

  it("exits 1 when any file is invalid, with path:line:col lines", async () => {
    const result = await validate("good.yaml", "bad.yaml");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        "bad.yaml:4:11: error: `workflow.hybrid_config.mode` must be one of: traditional, dspy_optimized, hybrid, evaluation (found 'fast')",
        "  hint: use one of the listed values",
        "2 files: 1 valid, 1 invalid",
        "",
      ].join("\n"),
    );
  });

  it("rejects under --strict what pipeline_ex's loader rejects", async () => {
    const result = await validate("--strict", "warned.yaml");
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n")[0]).toBe(
      "warned.yaml:6:15: error: pipeline_ex rejects this file: step 's' prompt must be an array of prompt parts",
    );
    expect(result.stdout).toContain("1 file: 0 valid, 1 invalid\n");
  });

  it("exits 1 for an unreadable file and names it", async () => {
    const result = await validate("missing.yaml");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      "missing.yaml:1:1: error: cannot read the file (ENOENT)\n  hint: check the path and that it is a readable file\n1 file: 0 valid, 1 invalid\n",
    );
  });

  it("prints one JSON document with --format json", async () => {
    const result = await validate("--format", "json", "bad.yaml");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      files: Array<{
        file: string;
        valid: boolean;
        problems: Array<{ code: string; line: number; col: number }>;
      }>;
      summary: unknown;
    };
    expect(report.summary).toEqual({ files: 1, valid: 0, invalid: 1 });
    expect(report.files[0]).toMatchObject({
      file: "bad.yaml",
      valid: false,
      problems: [{ code: "SCHEMA", line: 4, col: 11 }],
    });
  });

  it("exits 2 on usage errors", async () => {
    expect((await validate()).code).toBe(2);
    expect((await validate("--format", "xml", "good.yaml")).code).toBe(2);
    expect((await validate("--bogus", "good.yaml")).code).toBe(2);
  });

  it("writes nothing", async () => {
    await validate("good.yaml", "bad.yaml", "warned.yaml");
    expect(readdirSync(dir).sort()).toEqual(["bad.yaml", "good.yaml", "warned.yaml"]);
  });

  it("accepts an absolute path as well as one relative to the working directory", async () => {
    const result = await validate(resolve(dir, "good.yaml"));
    expect(result.code).toBe(0);
  });
});
