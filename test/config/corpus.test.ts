import { readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { loadWorkflowText } from "../../src/config/index.js";
import {
  corpusAvailable,
  corpusDir as corpus,
  corpusFiles,
  corpusManifest,
  corpusTitle,
} from "../support/corpus.js";

const byPath = new Map(corpusManifest().map((f) => [f.path, f]));

const files = corpusFiles()
  .map((p) => relative(corpus, p).split(sep).join("/"))
  .filter((p) => p !== "manifest.json" && p !== "SOURCE.md")
  .sort();

describe.skipIf(!corpusAvailable)(corpusTitle("the pipeline_ex corpus"), () => {
  it("lists every corpus file (dot folders and the .yaml.tmp included) in the manifest", () => {
    expect(files).toHaveLength(42);
    expect(files).toContain(".github/workflows/elixir.yaml");
    expect(files).toContain("research_paper_improvement_gemini_pro_delayed.yaml.tmp");
    expect(files.filter((f) => !byPath.has(f))).toEqual([]);
  });

  it.each(files)("strict verdict on %s equals pipeline_ex's", (file) => {
    const entry = byPath.get(file)!;
    const result = loadWorkflowText(readFileSync(join(corpus, file), "utf8"), file, {
      strict: true,
    });
    expect(result.ok).toBe(entry.pipeline_ex_status === "valid");
    if (!result.ok) {
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]!.line).toBeGreaterThanOrEqual(1);
    }
  });

  it.each(files)("lenient mode loads %s unless it is not a workflow", (file) => {
    const entry = byPath.get(file)!;
    const result = loadWorkflowText(readFileSync(join(corpus, file), "utf8"), file);
    if (entry.pipeline_ex_status === "not_a_workflow") {
      expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(["NOT_A_WORKFLOW"]);
    } else {
      expect(result.ok ? [] : result.problems).toEqual([]);
      const lenientForms = result.warnings.filter((w) => w.code === "LENIENT_FORM").length;
      expect(lenientForms > 0).toBe(
        entry.pipeline_ex_status === "invalid" || file === "examples/performance_demo.yaml",
      );
    }
  });
});
