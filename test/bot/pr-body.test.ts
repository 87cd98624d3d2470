import { describe, expect, it } from "vitest";
import { hashOfPrBody, renderPrBody, type PrBodyInput } from "../../bot/index.js";

const input: PrBodyInput = {
  hash: "a".repeat(64),
  migrated: [
    {
      file: "review.yaml",
      added: ["dspy_config", "hybrid_config"],
      steps: [
        {
          name: "analyze",
          type: "claude",
          signature: "code -> review",
          trainingDataPath: "training_data/analyze.jsonl",
        },
        {
          name: "summarize",
          type: "gemini",
          signature: {
            instructions: "x",
            input_fields: [{ name: "review" }],
            output_fields: [{ name: "summary" }, { name: "verdict" }],
          },
          trainingDataPath: "training_data/summarize.jsonl",
        },
      ],
    },
  ],
  refused: [{ file: "bad`name.yaml", reason: "3:1: <script>alert(1)</script> use [x](y)" }],
  alreadyMigrated: [],
  scaffolds: [],
  onboarding: null,
  migration: { mode: "traditional", fallback_enabled: false, cache_enabled: false },
  branch: "hybrid-pipeline/migrate",
  configPath: ".github/hybrid-pipeline.yml",
};

describe("bot: the pull request body", () => {
  it("says what changed per file, what to add, how it runs, and escapes file-borne text", () => {
    expect(renderPrBody(input)).toBe(
      [
        `<!-- hybrid-pipeline:migration hash=${"a".repeat(64)} -->`,
        "This pull request adds `dspy_config` and `hybrid_config` to the pipeline files below, so their LLM steps can be optimized DSPy-style. Comments, key order and blank lines of the files are kept.",
        "",
        "### What changed",
        "- `review.yaml`: adds `dspy_config` and `hybrid_config`; 2 step(s) made optimizable",
        "  - `analyze` (`claude`): signature `code -> review`, training data `training_data/analyze.jsonl`",
        "  - `summarize` (`gemini`): signature `review -> summary, verdict`, training data `training_data/summarize.jsonl`",
        "",
        "### What you need to add",
        "Labelled examples (JSONL, JSON or YAML records of `input` → `output`) at: `training_data/analyze.jsonl`, `training_data/summarize.jsonl`.",
        "",
        "### How it will run",
        "- Mode `traditional`: every step keeps running its own prompt; set `hybrid_config.mode: hybrid` to use optimized programs.",
        "- Optimizer `bootstrap_few_shot`, re-optimized `weekly`; results cached: no.",
        "- Fallback: disabled (`fallback_enabled: false`): an optimized step without a compiled program fails the run.",
        "",
        "### Not migrated",
        "- `bad'name.yaml`: 3:1: &lt;script&gt;alert\\(1\\)&lt;/script&gt; use \\[x\\]\\(y\\)",
        "",
        "### Ignore or adjust",
        "- Close this pull request without merging: it will not be reopened or recreated. Comment `/hybrid-pipeline migrate` on any issue or pull request to get it back.",
        "- Exclude files or change the values written with `.github/hybrid-pipeline.yml` (`paths`, `exclude`, `migration`, `labels`, `branch`).",
        "- Pushing your own commit to `hybrid-pipeline/migrate` makes the bot leave the branch alone.",
      ].join("\n"),
    );
    expect(hashOfPrBody(renderPrBody(input))).toBe("a".repeat(64));
  });

  it("stays under GitHub's 65,536-character limit: per-step details go first, then the list is cut", () => {
    const step = input.migrated[0]!.steps[0]!;
    const files = (n: number) => ({
      ...input,
      migrated: Array.from({ length: n }, (_, i) => ({
        file: `p/${i}.yaml`,
        added: ["dspy_config"],
        steps: [step, step],
      })),
    });
    const brief = renderPrBody(files(300));
    expect(brief.length).toBeLessThanOrEqual(65_536);
    expect(brief).toContain("- `p/299.yaml`: adds `dspy_config`; 2 step(s) made optimizable\n");
    expect(brief).not.toContain("  - `analyze`");
    expect(brief).toMatch(
      /_\(per-step details left out: the full list is longer than a pull request body may be\)_$/,
    );
    const cut = renderPrBody(files(2000));
    expect(cut.length).toBeLessThanOrEqual(65_536);
    expect(cut).toMatch(/_\(cut: the list is longer than a pull request body may be\)_$/);
    expect(hashOfPrBody(cut)).toBe("a".repeat(64));
  });
});
