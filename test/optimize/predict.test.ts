import { describe, expect, it } from "vitest";
import {
  CallLedger,
  predict,
  resolveSignature,
  systemMessage,
  type Program,
} from "../../src/optimize/index.js";
import { ScriptedModel } from "./scripted-model.js";

const signature = resolveSignature(
  {
    name: "classify",
    signature: {
      instructions: "Classify the finding.",
      input_fields: [{ name: "finding", description: "A review finding." }],
      output_fields: [{ name: "category", type: "literal", options: ["bug", "style"] }],
    },
  },
  {},
)!;

describe("ChatAdapter rendering", () => {
  it("lays out fields, structure and objective as DSPy's ChatAdapter does", () => {
    expect(systemMessage(signature, "Classify the finding.")).toBe(
      [
        "Your input fields are:",
        "1. `finding` (str): A review finding.",
        "Your output fields are:",
        "1. `category` (Literal['bug', 'style'])",
        "",
        "All interactions will be structured in the following way, with the appropriate values filled in.",
        "",
        "[[ ## finding ## ]]",
        "{finding}",
        "",
        "[[ ## category ## ]]",
        "{category}",
        "",
        "[[ ## completed ## ]]",
        "In adhering to this structure, your objective is: ",
        "        Classify the finding.",
      ].join("\n"),
    );
  });

  it("puts demos as user/assistant pairs before the final user message", async () => {
    const lm = new ScriptedModel();
    const program: Program = {
      instructions: "Classify.",
      signature,
      demos: [{ inputs: { finding: "null deref" }, outputs: { category: "bug" }, augmented: true }],
    };
    await predict(program, { finding: "bad name" }, lm, new CallLedger(), {
      model: "m",
      kind: "evaluation",
    });
    expect(lm.requests[0]!.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(lm.requests[0]!.messages[1]!.content).toBe(
      "[[ ## category ## ]]\nbug\n\n[[ ## completed ## ]]",
    );
    expect(lm.requests[0]!.messages[2]!.content).toBe(
      "[[ ## finding ## ]]\nbad name\n\nRespond with the corresponding output fields, starting with the field `[[ ## category ## ]]` (must be formatted as a valid Python Literal['bug', 'style']), and then ending with the marker for `[[ ## completed ## ]]`.",
    );
  });

  it("retries once asking for JSON, then reports a parse failure", async () => {
    const lm = new ScriptedModel([], { broken: true });
    const ledger = new CallLedger();
    const result = await predict(
      { instructions: "x", signature, demos: [] },
      { finding: "f" },
      lm,
      ledger,
      { model: "m", kind: "evaluation" },
    );
    expect(result).toMatchObject({ kind: "parse_failed", text: "I refuse to use markers." });
    expect(lm.requests).toHaveLength(2);
    expect(lm.requests[1]!.messages.at(-1)!.content).toBe(
      'Your previous answer could not be parsed. Respond only with a JSON object with the keys "category".',
    );
    expect(ledger.usage.total_calls).toBe(2);
  });
});
