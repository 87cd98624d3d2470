import { copyFile, mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { main } from "../../src/cli/main.js";
import type { RunReport } from "../../src/report/index.js";

import { pipelineExFixtures as corpus } from "../support/corpus.js";

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

describe("a migrated corpus file runs in hybrid mode", () => {
  it.each(["examples/simple_test.yaml", "test_simple_workflow.yaml"])(
    "%s: migrate --write, then run under sim routes by mode hybrid and falls back with dspy_unavailable",
    async (file) => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "migrated-run-"));
      await copyFile(path.join(corpus, file), path.join(dir, "pipeline.yaml"));
      const migrate = captureIo(dir);
      expect(await main(["migrate", "pipeline.yaml", "--write"], migrate)).toBe(0);
      expect(await readFile(path.join(dir, "pipeline.yaml"), "utf8")).toContain("hybrid_config:");

      const io = captureIo(dir);
      const code = await main(
        ["run", "pipeline.yaml", "--provider", "sim", "--report-json", "report.json"],
        io,
      );
      expect(io.err()).not.toMatch(/error/i);
      expect(code).toBe(0);
      const report = JSON.parse(await readFile(path.join(dir, "report.json"), "utf8")) as RunReport;
      expect(report.mode).toBe("hybrid");
      expect(report.mode_source).toBe("hybrid_config");
      const llmSteps = report.steps.filter((s) => /^(claude|gemini)/.test(s.type));
      expect(llmSteps.length).toBeGreaterThan(0);
      for (const step of llmSteps) {
        expect(step.route).toBe("traditional");
        expect(step.status).toBe("fallback");
        expect(step.fallback?.reason).toBe("dspy_unavailable");
        expect(step.fallback?.detail).toMatch(
          new RegExp(
            `^no training data for step '${step.name}' \\(looked for training_data/${step.name}\\.\\{jsonl,json,yaml,yml\\}\\)$`,
          ),
        );
      }
      expect(report.lm_calls.optimize).toBe(0);
      expect(io.out()).toContain("dspy_unavailable");
    },
  );
});
