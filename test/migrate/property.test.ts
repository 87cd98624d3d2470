import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectSafeMigration } from "./migration-assertions.js";

const word = fc.constantFrom(
  "review",
  "the",
  "code",
  "summarize",
  "report",
  "carefully",
  "list",
  "risks",
  "for",
  "team",
  "yes",
  "no",
  "on",
  "null",
);
const sentence = fc.array(word, { minLength: 4, maxLength: 12 }).map((w) => `${w.join(" ")}.`);

interface GeneratedStep {
  type: "claude" | "gemini" | "claude_smart" | "set_variable";
  content: string[];
  previous: boolean;
  template: boolean;
  style: "plain" | "single" | "double" | "literal" | "keep";
}

const stepArb = fc.record({
  type: fc.constantFrom("claude", "gemini", "claude_smart", "set_variable"),
  content: fc.array(sentence, { minLength: 1, maxLength: 3 }),
  previous: fc.boolean(),
  template: fc.boolean(),
  style: fc.constantFrom("plain", "single", "double", "literal", "keep"),
}) as fc.Arbitrary<GeneratedStep>;

const layoutArb = fc.record({
  unit: fc.constantFrom(2, 4),
  seqIndented: fc.boolean(),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
  bom: fc.boolean(),
  blankLines: fc.boolean(),
  comments: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  trailingComment: fc.boolean(),
  existing: fc.constantFrom("none", "dspy_config", "hybrid_config"),
  description: fc.option(sentence, { nil: undefined }),
});

type Layout = typeof layoutArb extends fc.Arbitrary<infer T> ? T : never;

function scalar(text: string, style: GeneratedStep["style"], indent: string): string[] {
  if (style === "single") return [`'${text.replaceAll("'", "''").replaceAll("\n", " ")}'`];
  if (style === "double") return [JSON.stringify(text)];
  if (style === "literal" || style === "keep")
    return [style === "keep" ? "|+" : "|", ...text.split("\n").map((l) => `${indent}${l}`)];
  return [text.replaceAll("\n", " ")];
}

/** Writes a valid workflow in one of many textual layouts. */
function writeWorkflow(steps: GeneratedStep[], layout: Layout): string {
  const u = " ".repeat(layout.unit);
  let c = 0;
  const comment = (indent: string) =>
    layout.comments[c++ % layout.comments.length] ? [`${indent}# note ${c}`] : [];
  const blank = () => (layout.blankLines ? [""] : []);
  const seq = layout.seqIndented ? u + u : u;
  const item = `${seq}  `;
  const lines = [
    ...comment(""),
    "workflow:",
    `${u}name: demo_${steps.length} # the name`,
    ...blank(),
  ];
  if (layout.description) lines.push(`${u}description: ${JSON.stringify(layout.description)}`);
  lines.push(...comment(u), `${u}steps:`);
  steps.forEach((step, i) => {
    lines.push(...comment(seq), `${seq}- name: step_${i}`, `${item}type: ${step.type}`);
    if (step.type === "set_variable") {
      lines.push(`${item}variables:`, `${item}${u}count: ${i}`);
      return;
    }
    const text = step.content.join("\n") + (step.template ? " Use {{inputs.topic}} too." : "");
    const [head, ...rest] = scalar(text, step.style, `${item}${u}    `);
    lines.push(
      `${item}prompt:`,
      `${item}${u}- type: static`,
      `${item}${u}  content: ${head}`,
      ...rest,
    );
    if (step.style === "keep") lines.push("");
    if (step.previous && i > 0)
      lines.push(`${item}${u}- type: previous_response`, `${item}${u}  step: step_${i - 1}`);
    lines.push(...comment(item));
  });
  if (layout.existing !== "none")
    lines.push(
      ...blank(),
      `${u}${layout.existing}:`,
      `${u}${u}${layout.existing === "dspy_config" ? "cache_enabled: false" : "mode: traditional"}`,
    );
  if (layout.trailingComment) lines.push(...blank(), "# end");
  const eol = layout.crlf ? "\r\n" : "\n";
  return (layout.bom ? "\uFEFF" : "") + lines.join(eol) + (layout.finalNewline ? eol : "");
}

describe("migration of generated workflows", () => {
  it("keeps every byte outside the insert, adds exactly the new keys, and is idempotent", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 4 }), layoutArb, (steps, layout) => {
        const text = writeWorkflow(steps, layout);
        const outcome = expectSafeMigration(text, "generated.yaml");
        expect(outcome.added).toEqual(
          layout.existing === "none"
            ? ["dspy_config", "hybrid_config"]
            : [layout.existing === "dspy_config" ? "hybrid_config" : "dspy_config"],
        );
      }),
      { seed: 20261128, numRuns: 100 },
    );
  });
});
