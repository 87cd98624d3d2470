import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionDeps } from "../../src/action/action-deps.js";
import { createEngineRunner } from "../../src/action/engine-runner.js";
import { runAction } from "../../src/action/run-action.js";
import { noCacheService, recordingCore } from "./action-harness.js";

let workspace: string;
let log: string[];

function deps(inputs: Record<string, string>): ActionDeps {
  return {
    core: recordingCore(inputs, (line) => void log.push(line)),
    writeSummary: async (markdown) => void log.push(`summary ${markdown}`),
    writeFile: async (path, text) => {
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(path, text);
    },
    readFile: (path) => readFile(path, "utf8"),
    env: { GITHUB_RUN_ID: "9", RUNNER_OS: "Linux" },
    workspace,
    event: { name: "push", payload: {} },
    cacheApi: noCacheService,
    github: () => Promise.reject(new Error("no GitHub call expected on push")),
    runner: createEngineRunner(workspace),
    uptimeMs: () => 123,
  };
}

beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), "hp-projection-"));
  log = [];
  await mkdir(join(workspace, "pipelines"));
  await writeFile(
    join(workspace, "pipelines/signed.yaml"),
    `workflow:
  name: signed
  steps:
    - name: label
      type: claude
      claude_options: { model: haiku }
      signature: "ticket -> label"
      metric: exact_match
      prompt: [{ type: static, content: "Label this ticket as bug or feature: the app crashes." }]
  dspy_config: { training_data_path: training_data, evaluation_mode: mipro }
  hybrid_config: { mode: evaluation }
`,
  );
  await mkdir(join(workspace, "training_data"));
  await writeFile(
    join(workspace, "training_data/label.jsonl"),
    [
      "crashes on start:bug",
      "add dark mode:feature",
      "error 500 on save:bug",
      "export to csv:feature",
    ]
      .map((r) => JSON.stringify({ input: r.split(":")[0], output: r.split(":")[1] }))
      .join("\n"),
  );
});
afterEach(() => rm(workspace, { recursive: true, force: true }));

describe("the Action's cost projection", () => {
  it("writes the projected calls and dollars to the job summary and warns above budget-usd before the first LM call", async () => {
    const result = await runAction(
      deps({ workflows: "pipelines/*.yaml", provider: "sim", "budget-usd": "0.000001" }),
    );
    expect(result.kind).toBe("succeeded");
    const summary = log.findIndex((l) =>
      l.startsWith("summary ### hybrid-pipeline: projected cost before the run"),
    );
    const warning = log.findIndex((l) =>
      /^warning The projected compile and evaluation cost \(\$\d+\.\d{4}\) is above budget-usd \(\$0\.00\)/.test(
        l,
      ),
    );
    const firstStep = log.findIndex((l) => l.startsWith("info first step (label) starting"));
    expect(summary).toBeGreaterThanOrEqual(0);
    expect(warning).toBeGreaterThan(summary);
    expect(firstStep).toBeGreaterThan(warning);
    expect(log[summary]).toMatch(
      /\n\| pipelines\/signed\.yaml \| label \| compile \(mipro\) \| \d+ \| \d+ \/ \d+ \/ \d+ \/ 0 \| \$\d+\.\d{4} \|\n\| pipelines\/signed\.yaml \| label \| evaluation \| 0 \| 0 \/ 0 \/ 0 \/ 0 \| \$\d+\.\d{4} \|\n/,
    );
  });

  it("writes nothing when nothing would be compiled (traditional mode)", async () => {
    await writeFile(
      join(workspace, "pipelines/signed.yaml"),
      `workflow:\n  name: plain\n  steps:\n    - name: first\n      type: claude\n      prompt: [{ type: static, content: "Say hi." }]\n`,
    );
    await runAction(deps({ workflows: "pipelines/*.yaml", provider: "sim" }));
    expect(log.some((l) => l.includes("projected cost before the run"))).toBe(false);
  });
});
