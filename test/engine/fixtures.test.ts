import { cp, mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadWorkflowFile, stepTypes } from "../../src/config/index.js";
import { promptPartTypes } from "../../src/config/prompt-schema.js";
import { createRunContext, runWorkflow } from "../../src/engine/index.js";
import { SimModel } from "../../src/providers/index.js";

const fixture = path.resolve(import.meta.dirname, "../fixtures/pipelines/every-step-type");

type Node = Record<string, unknown>;
/** Every value of `key` anywhere in the parsed data (step types, prompt part types). */
function collect(data: unknown, key: string, into = new Set<string>()): Set<string> {
  if (Array.isArray(data)) for (const item of data) collect(item, key, into);
  else if (typeof data === "object" && data !== null) {
    for (const [k, v] of Object.entries(data as Node)) {
      if (k === key && typeof v === "string") into.add(v);
      collect(v, key, into);
    }
  }
  return into;
}

async function runFixture(mode: "traditional" | "hybrid") {
  const workdir = path.join(await mkdtemp(path.join(os.tmpdir(), "fixture-")), "work");
  await cp(fixture, workdir, { recursive: true });
  const loaded = await loadWorkflowFile("every_step_type.yaml", { workdir });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join("; "));
  const report = await runWorkflow({
    file: "every_step_type.yaml",
    workflow: loaded.workflow,
    lm: new SimModel(),
    context: createRunContext(),
    workdir,
    mode,
    sleep: async () => {},
  });
  return { report, workdir };
}

describe("fixtures of our own (no pipeline_ex corpus needed)", () => {
  it("cover all 15 step types and all 5 prompt part types", async () => {
    const data = parse(await readFile(path.join(fixture, "every_step_type.yaml"), "utf8"));
    const types = collect(data, "type");
    expect(stepTypes.filter((t) => !types.has(t))).toEqual([]);
    expect(promptPartTypes.filter((t) => !types.has(t))).toEqual([]);
  });

  it.each(["traditional", "hybrid"] as const)(
    "run every step type to completion under sim (%s)",
    async (mode) => {
      const { report, workdir } = await runFixture(mode);
      expect(report.steps.filter((s) => s.status !== "success").map((s) => s.name)).toEqual([]);
      expect(report.status).toBe("success");
      expect(report.steps.map((s) => s.name)).toContain("child");
      expect(await readFile(path.join(workdir, "ws/out/notes.txt"), "utf8")).toBe("notes\n");
    },
  );
});
