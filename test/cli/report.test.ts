import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { main } from "../../src/cli/main.js";
import { type RunReport } from "../../src/report/index.js";
import { renderMarkdownReport } from "../../src/render/index.js";
import { report } from "../support/report-fixtures.js";
import { shardedRun } from "../support/sharded-run.js";

let dir: string;
const { shards, single } = shardedRun("binary");

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: dir,
    env: {},
  };
  const code = await main(["report", ...args], io);
  return { code, stdout, stderr };
}

const write = (name: string, value: unknown) =>
  writeFileSync(
    join(dir, name),
    typeof value === "string" ? value : JSON.stringify(value, null, 2),
  );

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "report-cli-"));
  write("shard-1.json", shards[0]);
  write("shards-2-3.json", [shards[1], shards[2]]);
  write("other.json", report({ workflow: "docs", file: "docs.yaml" }));
  write("broken.json", '{"schema_version": 1,');
  const wrong = JSON.parse(JSON.stringify(shards[0])) as Record<string, unknown> & {
    steps: Array<Record<string, unknown>>;
  };
  wrong.steps[0]!.route = "sideways";
  delete wrong.lm_calls;
  write("wrong.json", [shards[1], wrong]);
  write("empty.json", []);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("hybrid-pipeline report", () => {
  it("merges shard files into the markdown one unsharded run would give", async () => {
    const result = await cli("shard-1.json", "shards-2-3.json");
    expect(result).toEqual({ code: 0, stdout: renderMarkdownReport([single]), stderr: "" });
    expect(result.stdout).toContain(
      "| analyze | **better** | +0.18 [+0.03, +0.34] | 0.67 → 0.85 | 60 |",
    );
  });

  it("prints the merged report as JSON: one object for one workflow, an array for several", async () => {
    const one = await cli("shards-2-3.json", "shard-1.json", "--format", "json");
    expect(one.code).toBe(0);
    const merged = JSON.parse(one.stdout) as RunReport;
    expect(merged.steps[0]!.ab!.pairs.slice(0, 20)).toEqual(shards[1]!.steps[0]!.ab!.pairs);
    expect(merged.steps[0]!.ab!.n).toBe(60);
    expect(merged.lm_calls).toEqual(single.lm_calls);

    const inOrder = await cli("--format", "json", "shard-1.json", "shards-2-3.json");
    expect(JSON.parse(inOrder.stdout)).toEqual(single);
    const several = await cli("--format", "json", "shard-1.json", "other.json");
    expect((JSON.parse(several.stdout) as RunReport[]).map((r) => r.workflow)).toEqual([
      "code_review",
      "docs",
    ]);
  });

  it("writes to --out instead of stdout", async () => {
    const result = await cli(
      "shard-1.json",
      "shards-2-3.json",
      "--format",
      "json",
      "--out",
      "out/merged.json",
    );
    expect(result).toEqual({ code: 0, stdout: "report written to out/merged.json\n", stderr: "" });
    expect(JSON.parse(readFileSync(join(dir, "out/merged.json"), "utf8"))).toEqual(single);
  });

  it("exits 1 naming each bad file and what is wrong, printing no report", async () => {
    const result = await cli(
      "shard-1.json",
      "broken.json",
      "wrong.json",
      "empty.json",
      "missing.json",
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^broken\.json: not valid JSON \(.+\)$/);
    expect(lines.slice(1)).toEqual([
      "wrong.json [report 1]: /: must have required property 'lm_calls'",
      "wrong.json [report 1]: /steps/0/route: must be equal to one of the allowed values",
      "empty.json: an empty array; expected a report or an array of reports",
      "missing.json: cannot be read (ENOENT)",
    ]);
  });

  it("exits 2 with the usage when no file is given or an option is wrong", async () => {
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      "hybrid-pipeline report: give at least one report FILE\n\nUsage: hybrid-pipeline report FILE...",
    );
    expect((await cli("shard-1.json", "--format", "html")).code).toBe(2);
    expect((await cli("shard-1.json", "--threshold", "2")).code).toBe(2);
    expect(none.stdout).toBe("");
  });

  it("documents itself under --help", async () => {
    const help = await cli("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^Usage: hybrid-pipeline report FILE\.\.\. \[--format md\|json\] \[--out FILE\]\n/,
    );
  });
});
