import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  DspyStateError,
  dspyPredictorKeys,
  readDspyPredictor,
  resolveSignature,
  toDspyJson,
  type CompiledProgram,
} from "../../src/optimize/index.js";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, "fixtures/dspy", name), "utf8"));

const signature = resolveSignature(
  { name: "s", signature: "finding -> category" },
  { dspy_config: {} },
)!;

describe("reading DSPy 3.x saved programs", () => {
  it("lists the predictors of a module and leaves DSPy's metadata out", () => {
    expect(dspyPredictorKeys(fixture("two-predictors.json"))).toEqual([
      "classify",
      "triage.predict",
    ]);
    expect(dspyPredictorKeys(fixture("predict-self.json"))).toEqual(["self"]);
  });

  it("maps saved fields to the step's by position and drops DSPy's bookkeeping keys from demos", () => {
    const read = readDspyPredictor(fixture("predict-self.json"), "classify", signature, "x.json");
    expect(read.key).toBe("self");
    expect(read.model).toBe("openai/gpt-4o-mini");
    expect(read.program.demos).toEqual([
      {
        inputs: { finding: "Variable names like x2 and tmp make the parser hard to follow." },
        outputs: { category: "style" },
        augmented: true,
      },
      {
        inputs: {
          finding:
            "Query built by string concatenation lets an attacker inject untrusted input in the login view.",
        },
        outputs: { category: "style" },
        augmented: false,
      },
    ]);
    expect(read.program.signature.outputs[0]!.description).toBe(
      "bug, style, security or performance",
    );
  });

  it("takes the only predictor whatever its key (module.predict, as a nested module saves it)", () => {
    const saved = fixture("predict-self.json") as Record<string, unknown>;
    const nested = { "module.predict": saved.self, metadata: saved.metadata };
    const read = readDspyPredictor(nested, "classify", signature, "n.json");
    expect(read.key).toBe("module.predict");
    expect(read.program.demos).toHaveLength(2);
  });

  it("writes non-text demo values (DSPy keeps dicts) as JSON text", () => {
    const saved = {
      predict: {
        traces: [],
        train: [],
        demos: [{ augmented: true, finding: "f", category: { tool: "finish", args: {} } }],
        signature: {
          instructions: "i",
          fields: [
            { prefix: "Finding:", description: "${finding}" },
            { prefix: "Category:", description: "${category}" },
          ],
        },
        lm: null,
      },
    };
    const read = readDspyPredictor(saved, "s", signature, "x.json");
    expect(read.program.demos[0]!.outputs.category).toBe('{"tool":"finish","args":{}}');
    expect(read.model).toBeUndefined();
  });

  it("refuses a predictor with another number of fields, naming both", () => {
    const triage = fixture("two-predictors.json");
    expect(() => readDspyPredictor(triage, "triage", signature, "t.json")).toThrow(
      new DspyStateError(
        "FIELD_COUNT",
        "t.json: predictor 'triage.predict' has 3 fields but step 'triage' has 2 (finding, category); fields are matched by position, so make the step's signature list the same fields in the same order",
      ),
    );
  });

  it("reads back our own export (--out) as a DSPy program under the key predict", () => {
    const compiled = {
      program: {
        instructions: "Classify.",
        signature,
        demos: [{ inputs: { finding: "a" }, outputs: { category: "bug" }, augmented: true }],
      },
      meta: { step: "s" },
    } as unknown as CompiledProgram;
    const read = readDspyPredictor(
      JSON.parse(JSON.stringify(toDspyJson(compiled))),
      "s",
      signature,
      "out.json",
    );
    expect(read.key).toBe("predict");
    expect(read.program.demos).toEqual(compiled.program.demos);
    expect(read.program.instructions).toBe("Classify.");
  });
});
