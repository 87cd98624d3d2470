import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadWorkflowFile } from "../../src/config/index.js";
import { createRunContext, runWorkflow } from "../../src/engine/index.js";
import { SimModel } from "../../src/providers/index.js";
import {
  corpusAvailable,
  corpusDir as corpus,
  corpusManifest,
  corpusTitle,
} from "../support/corpus.js";

const manifest = corpusManifest();
const valid = manifest.filter((f) => f.pipeline_ex_status === "valid").map((f) => f.path);
const testEnvOnly = manifest
  .filter((f) => f.pipeline_ex_status === "valid_test_env_only")
  .map((f) => f.path);

/**
 * Files the corpus pipelines read but pipeline_ex's repository does not ship beside them (pipeline_ex
 * would fail on them too): a README, a research paper outside the repo, a loop's test data (file_ops
 * paths are relative to the workspace), and the code file `{{ code_file }}` names (an input).
 */
const standIns: Record<string, string> = {
  "README.md": "# Demo project\nA small library.\n",
  "../research_papers/tex/ResearchProposal-ChiralNarrativeSynthesis_3.tex":
    "\\section{Chiral narrative synthesis}\nText.\n",
  "workspace/examples/test_data.txt": "line one\nline two\n",
  "src/auth.ex":
    'defmodule Auth do\n  def check(token), do: token == System.get_env("TOKEN")\nend\n',
};
const inputs = { code_file: "src/auth.ex" };

async function runCorpusFile(file: string, withStandIns: boolean) {
  const workdir = path.join(await mkdtemp(path.join(os.tmpdir(), "corpus-")), "work");
  await mkdir(workdir, { recursive: true });
  if (withStandIns) {
    for (const [name, text] of Object.entries(standIns)) {
      await mkdir(path.dirname(path.resolve(workdir, name)), { recursive: true });
      await writeFile(path.resolve(workdir, name), text);
    }
  }
  const loaded = await loadWorkflowFile(path.join(corpus, file), { workdir });
  if (!loaded.ok)
    throw new Error(`${file} does not load: ${loaded.problems.map((p) => p.message).join("; ")}`);
  return runWorkflow({
    file: path.join(corpus, file),
    workflow: loaded.workflow,
    lm: new SimModel(),
    context: createRunContext(),
    workdir,
    inputs: withStandIns ? inputs : {},
    sleep: async () => {},
  });
}

describe.skipIf(!corpusAvailable)(corpusTitle("pipeline_ex corpus under the sim provider"), () => {
  it("has valid files to run", () => {
    expect(valid.length).toBeGreaterThanOrEqual(30);
  });

  it.each(valid)("runs %s to completion", async (file) => {
    const report = await runCorpusFile(file, true);
    expect(
      report.steps
        .filter((s) => s.status !== "success" && s.status !== "skipped")
        .map((s) => `${s.name}: ${s.error}`),
    ).toEqual([]);
    expect(report.status).toBe("success");
    expect(report.simulated).toBe(true);
  });

  it.each(testEnvOnly)(
    "runs %s (pipeline_ex test environment: test_echo) to completion",
    async (file) => {
      const report = await runCorpusFile(file, true);
      expect(report.steps.map((s) => s.status).filter((s) => s !== "success")).toEqual([]);
    },
  );

  it("fails exactly the files that read a file the corpus does not ship, naming the step and the path", async () => {
    const failures: string[] = [];
    for (const file of valid) {
      const report = await runCorpusFile(file, false);
      const failed = report.steps.find((s) => s.status === "failed");
      if (failed)
        failures.push(
          `${file}: ${failed.error!.replace(/ \(looked at .*$/, "").replace(/ no such file .*$/, " no such file")}`,
        );
    }
    expect(failures).toEqual([
      "examples/performance_demo.yaml: step 'create_test_file': file_ops stream_copy failed: no such file",
      "examples/simple_comprehensive_example.yaml: step 'quick_analysis': prompt file './README.md' does not exist",
      "research_paper_improvement_gemini_pro_delayed.yaml: step 'analyze_and_improve_research': prompt file '../research_papers/tex/ResearchProposal-ChiralNarrativeSynthesis_3.tex' does not exist",
      "research_paper_improvement_gemini_pro_delayed.yaml.tmp: step 'analyze_and_improve_research': prompt file '../research_papers/tex/ResearchProposal-ChiralNarrativeSynthesis_3.tex' does not exist",
      "research_paper_improvement_pipeline.yaml: step 'analyze_and_improve_research': prompt file '../research_papers/tex/ResearchProposal-ChiralNarrativeSynthesis_3.tex' does not exist",
      "workflows/explain_code.yaml: step 'explain': prompt file '{{ code_file }}' does not exist",
      "workflows/quick_review.yaml: step 'review': prompt file '{{ code_file }}' does not exist",
    ]);
  });
});
