import { describe, expect, it } from "vitest";
import { migrateSource } from "../../src/migrate/index.js";
import { expectSafeMigration, insertedText } from "./migration-assertions.js";

const simple = [
  "workflow:",
  "  name: demo",
  "  steps:",
  "    - name: greet",
  "      type: claude",
  "      prompt:",
  "        - type: static",
  '          content: "Write a friendly greeting for the team."',
];
const lf = (lines: string[]) => `${lines.join("\n")}\n`;

const hybridBlock = [
  "  hybrid_config:",
  "    mode: hybrid",
  "    intelligent_routing: true",
  "    ab_testing_enabled: true",
  "    performance_threshold: 0.1",
  "    fallback_enabled: true",
];

describe("migrateSource: before/after", () => {
  it("appends dspy_config with the step's signature and hybrid_config at the end of the workflow map", () => {
    const outcome = expectSafeMigration(lf(simple), "demo.yaml");
    expect(outcome.text).toBe(
      lf([
        ...simple,
        "  dspy_config:",
        "    optimization_enabled: true",
        "    evaluation_mode: bootstrap_few_shot",
        "    training_data_path: training_data",
        "    cache_enabled: true",
        "    fallback_strategy: traditional",
        "    optimization_frequency: weekly",
        "    signatures:",
        "      greet:",
        '        instructions: "Write a friendly greeting for the team."',
        "        output_fields:",
        "          - name: output",
        "            type: string",
        `            description: "The step's response."`,
        ...hybridBlock,
      ]),
    );
    expect(outcome.steps).toEqual([
      {
        name: "greet",
        type: "claude",
        trainingDataPath: "training_data/greet.yaml",
        signature: {
          instructions: "Write a friendly greeting for the team.",
          output_fields: [{ name: "output", type: "string", description: "The step's response." }],
        },
      },
    ]);
    expect(outcome.scaffolds).toEqual([]);
  });

  it("adds only hybrid_config to a file that has dspy_config, and nothing to a migrated file", () => {
    const half = lf([...simple, "  dspy_config:", "    optimization_enabled: false"]);
    const outcome = expectSafeMigration(half, "half.yaml");
    expect(outcome.added).toEqual(["hybrid_config"]);
    expect(outcome.steps).toEqual([]);
    expect(outcome.text).toBe(half + lf(hybridBlock));
    expect(migrateSource(outcome.text, "half.yaml")).toEqual({
      kind: "already_migrated",
      file: "half.yaml",
    });
  });

  it("writes every value from the options, an explicit false included", () => {
    const outcome = migrateSource(lf(simple), "demo.yaml", {
      cache_enabled: false,
      fallback_enabled: false,
      mode: "evaluation",
      performance_threshold: 0.25,
      training_data_path: "data/train",
      optimization_frequency: "daily",
    });
    expect(outcome.kind === "migrated" && outcome.text).toContain("    cache_enabled: false\n");
    expect(outcome.kind === "migrated" && outcome.text).toContain(
      '    training_data_path: "data/train"\n',
    );
    expect(outcome.kind === "migrated" && outcome.text).toContain(
      "  hybrid_config:\n    mode: evaluation\n    intelligent_routing: true\n    ab_testing_enabled: true\n    performance_threshold: 0.25\n    fallback_enabled: false\n",
    );
  });

  it("refuses options the schema rejects, naming the setting", () => {
    expect(migrateSource(lf(simple), "demo.yaml", { performance_threshold: 2 })).toMatchObject({
      kind: "refused",
      code: "options",
      reason: expect.stringContaining("hybrid_config.performance_threshold"),
    });
    expect(
      migrateSource(lf(simple), "demo.yaml", { performance_threshold: Number.NaN }),
    ).toMatchObject({ kind: "refused", code: "options" });
    expect(
      migrateSource(lf(simple), "demo.yaml", { evaluation_mode: "magic" as "copro" }),
    ).toMatchObject({
      kind: "refused",
      code: "options",
      reason: expect.stringContaining("dspy_config.evaluation_mode"),
    });
  });
});

describe("migrateSource: byte preservation", () => {
  it("keeps CRLF line endings and writes the block with them", () => {
    const outcome = expectSafeMigration(lf(simple).replaceAll("\n", "\r\n"), "crlf.yaml");
    expect(outcome.text.replaceAll("\r\n", "")).not.toContain("\n");
  });

  it("keeps a byte-order mark", () => {
    expect(
      expectSafeMigration(`\uFEFF${lf(simple)}`, "bom.yaml").text.startsWith("\uFEFFworkflow:"),
    ).toBe(true);
    const wide =
      '\uFEFFworkflow:\n    name: wide\n    steps:\n        - name: a\n          type: claude\n          prompt:\n              - type: static\n                content: "Summarize the incident report."\n';
    expect(expectSafeMigration(wide, "bom4.yaml").text).toContain(
      "\n    dspy_config:\n        optimization_enabled: true\n",
    );
  });

  it("keeps the lack of a final newline", () => {
    const before = simple.join("\n");
    const outcome = expectSafeMigration(before, "nonl.yaml");
    expect(insertedText(before, outcome.text)!.startsWith("\n  dspy_config:")).toBe(true);
    expect(outcome.text.endsWith("fallback_enabled: true")).toBe(true);
  });

  it("follows a 4-space indentation and keeps blank-line separation between workflow keys", () => {
    const before =
      'workflow:\n    name: wide\n\n    steps:\n    -   name: a\n        type: gemini\n        prompt:\n        -   type: static\n            content: "Summarize the quarterly report in three bullets."\n';
    const outcome = expectSafeMigration(before, "wide.yaml");
    expect(insertedText(before, outcome.text)).toMatch(
      /^\n {4}dspy_config:\n {8}optimization_enabled: true\n/,
    );
    expect(outcome.text).toContain("\n    hybrid_config:\n        mode: hybrid\n");
  });

  it("keeps tabs in strings, and writes quotes of the prompt escaped in a double-quoted scalar", () => {
    const before = lf([
      ...simple.slice(0, 7),
      '          content: "Compare\tthe \\"old\\" and new API: {{steps.fetch.result}}"',
    ]).replace(
      "  steps:",
      '  steps:\n    - name: fetch\n      type: claude\n      prompt:\n        - type: static\n          content: "Fetch the changelog of the library."',
    );
    const outcome = expectSafeMigration(before, "tabs.yaml");
    expect(outcome.text).toContain(
      'content: "Compare\tthe \\"old\\" and new API: {{steps.fetch.result}}"',
    );
    expect(outcome.text).toContain('instructions: "Compare the \\"old\\" and new API: `fetch`"');
  });

  it("migrates a file with anchors and aliases, which stay as written", () => {
    const before = lf([
      "workflow:",
      "  name: aliased",
      "  defaults:",
      "    claude_options: &opts",
      "      max_turns: 3",
      "  steps:",
      "    - name: one",
      "      type: claude",
      "      claude_options: *opts",
      "      prompt: &p",
      "        - type: static",
      '          content: "Review the pull request for bugs."',
      "    - name: two",
      "      type: claude",
      "      prompt: *p",
    ]);
    const outcome = expectSafeMigration(before, "alias.yaml");
    expect(outcome.steps.map((s) => s.name)).toEqual(["one", "two"]);
  });

  it("inserts before a trailing document comment, and after comments indented inside the map", () => {
    const before = lf([...simple, "    # - name: disabled_step", "", "# end of pipeline"]);
    const outcome = expectSafeMigration(before, "comments.yaml");
    expect(outcome.text).toMatch(
      /# - name: disabled_step\n {2}dspy_config:[\s\S]*fallback_enabled: true\n\n# end of pipeline\n$/,
    );
  });

  it("keeps the trailing blank lines of a |+ block scalar at the end of the file", () => {
    const before = lf([
      ...simple.slice(0, 7),
      "          content: |+",
      "            Draft release notes for the sprint.",
      "",
      "",
    ]);
    const outcome = expectSafeMigration(before, "keep.yaml");
    expect(outcome.text).toContain("Draft release notes for the sprint.\n\n\n  dspy_config:");
  });

  it("leaves a file with a block scalar at the very end and no final newline with the same data", () => {
    const before = [
      ...simple.slice(0, 7),
      "          content: |",
      "            Draft release notes for the sprint.",
    ].join("\n");
    expectSafeMigration(before, "clip.yaml");
  });

  it("puts the block before a following root key", () => {
    const before = lf([...simple, "other: 1"]);
    const outcome = expectSafeMigration(before, "root.yaml");
    expect(outcome.text.endsWith("fallback_enabled: true\nother: 1\n")).toBe(true);
  });
});

describe("migrateSource: step names", () => {
  it("quotes step names YAML 1.1 would misread and scaffolds only names that are safe file names", () => {
    const step = (name: string) => [
      `    - name: ${JSON.stringify(name)}`,
      "      type: claude",
      "      prompt:",
      "        - type: static",
      '          content: "Write the weekly status update."',
    ];
    const before = lf([
      "workflow:",
      "  name: names",
      "  steps:",
      ...step("on"),
      ...step("review: code"),
      ...step("../escape"),
    ]);
    const outcome = migrateSource(before, "names.yaml", { scaffoldTrainingData: true });
    expectSafeMigration(before, "names.yaml");
    expect(outcome.kind === "migrated" && outcome.text).toContain(
      '\n      "on":\n        instructions:',
    );
    expect(outcome.kind === "migrated" && outcome.text).toContain('\n      "review: code":\n');
    expect(outcome.kind === "migrated" && outcome.steps.map((s) => s.trainingDataPath)).toEqual([
      "training_data/on.yaml",
      "training_data",
      "training_data",
    ]);
    expect(outcome.kind === "migrated" && outcome.scaffolds.map((s) => s.path)).toEqual([
      "training_data/on.yaml",
    ]);
  });
});

describe("migrateSource: refusals leave the file untouched", () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ["an empty file", "", "not_a_workflow", /empty/],
    [
      "a flow-style root",
      '{workflow: {name: x, steps: [{name: a, type: claude, prompt: [{type: static, content: "Write a haiku about rain."}]}]}}\n',
      "unsafe_edit",
      /flow style/,
    ],
    [
      "a flow-style workflow map",
      'workflow: {name: x, steps: [{name: a, type: claude, prompt: [{type: static, content: "Write a haiku about rain."}]}]}\n',
      "unsafe_edit",
      /flow style/,
    ],
    ["several documents", `${lf(simple)}---\n${lf(simple)}`, "invalid", /2 YAML documents/],
    [
      "duplicate keys",
      lf([...simple.slice(0, 2), "  name: again", ...simple.slice(2)]),
      "invalid",
      /^3:3: duplicate key/,
    ],
    ["invalid YAML", "workflow:\n  name: [unclosed\n", "invalid", /^\d+:\d+: YAML syntax/],
    [
      "a workflow map aliased elsewhere (the edit would change the alias too)",
      lf([simple[0] + " &wf", ...simple.slice(1), "copy: *wf"]),
      "unsafe_edit",
      /could not be proven safe.*not the old data plus the new keys/,
    ],
    ["a list root", "- workflow: x\n", "not_a_workflow", /a list, not a map/],
    [
      "a file without workflow:",
      "name: ci\non: push\n",
      "not_a_workflow",
      /no top-level `workflow:` key/,
    ],
  ];
  it.each(cases)("refuses %s", (_name, text, code, reason) => {
    const outcome = migrateSource(text, "f.yaml");
    expect(outcome).toMatchObject({ kind: "refused", file: "f.yaml", code });
    expect(outcome.kind === "refused" && outcome.reason).toMatch(reason);
  });
});
