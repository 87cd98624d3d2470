import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ActionDeps } from "../../src/action/action-deps.js";
import { createEngineRunner } from "../../src/action/engine-runner.js";
import { runAction } from "../../src/action/run-action.js";
import { exampleDir, findings, singleYaml } from "../engine/hybrid/classify-fixture.js";
import { noCacheService, recordingCore } from "./action-harness.js";

/** The Action run as the runner runs it, on `event` with `GITHUB_REF` = `ref`, over one classify pipeline. */
async function actionRun(eventName: string, ref: string) {
  const dir = await exampleDir();
  await mkdir(join(dir, "pipelines"));
  await writeFile(join(dir, "pipelines/classify.yaml"), singleYaml(findings(1)[0]!));
  const outputs: Record<string, string> = {};
  const core = recordingCore(
    { workflows: "pipelines/*.yaml", provider: "sim", cache: "false" },
    () => {},
  );
  const deps: ActionDeps = {
    core: { ...core, setOutput: (name, value) => void (outputs[name] = value) },
    writeSummary: async () => {},
    writeFile: (path, text) => writeFile(path, text),
    readFile: (path) => readFile(path, "utf8"),
    env: { GITHUB_REF: ref, GITHUB_RUN_ID: "7" },
    workspace: dir,
    event: { name: eventName, payload: { repository: { default_branch: "main" } } },
    cacheApi: noCacheService,
    github: () => Promise.reject(new Error("no GitHub call expected")),
    runner: createEngineRunner(dir),
    uptimeMs: () => 0,
  };
  await runAction(deps);
  const files = await readdir(join(dir, "hybrid-pipeline-programs"), { recursive: true }).catch(
    () => [],
  );
  return { dir, outputs, files: files.map(String).sort() };
}

describe("the Action's program files for the promotion PR", () => {
  it("writes the programs of a push to the default branch as program files, and says where", async () => {
    const { dir, outputs, files } = await actionRun("push", "refs/heads/main");
    expect(outputs["programs-dir"]).toBe("hybrid-pipeline-programs");
    expect(files).toEqual([
      ".hybrid-pipeline",
      ".hybrid-pipeline/programs",
      ".hybrid-pipeline/programs/classify",
      ".hybrid-pipeline/programs/classify/classify_finding.json",
      ".hybrid-pipeline/programs/classify/classify_finding.prompt.md",
    ]);
    const program = JSON.parse(
      await readFile(
        join(
          dir,
          "hybrid-pipeline-programs/.hybrid-pipeline/programs/classify/classify_finding.json",
        ),
        "utf8",
      ),
    ) as { metadata?: { heldout?: { pairs?: unknown[] } } } & Record<string, unknown>;
    // The program carries its held-out evidence, which the app reads to decide whether to propose it.
    expect(JSON.stringify(program)).toContain('"heldout"');
  });

  it("writes nothing for a pull request or another branch", async () => {
    for (const [event, ref] of [
      ["pull_request", "refs/pull/3/merge"],
      ["push", "refs/heads/feature"],
    ] as const) {
      const { outputs, files } = await actionRun(event, ref);
      expect(outputs["programs-dir"]).toBe("");
      expect(files).toEqual([]);
    }
  });
});
