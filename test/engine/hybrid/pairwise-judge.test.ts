import { describe, expect, it } from "vitest";
import { createPairwiseJudge, parsePreference } from "../../../src/engine/hybrid/pairwise-judge.js";
import { SimModel, type LanguageModel, type LmRequest } from "../../../src/providers/index.js";

const signature = {
  instructions: "Classify the code-review finding into one category.",
  inputs: [{ name: "finding", type: "string" as const, description: "" }],
  outputs: [
    {
      name: "category",
      type: "literal" as const,
      description: "",
      options: ["bug", "style", "security", "performance"],
    },
  ],
  promptAsInput: false,
};
const rubric =
  "An attacker or untrusted input means security. Slow latency means performance. Crashes mean bug.";
const finding = { finding: "An attacker can send untrusted input to the login form." };

function judgeWith(random: () => number) {
  const requests: LmRequest[] = [];
  const sim = new SimModel();
  const lm: LanguageModel = {
    provider: "sim",
    simulated: true,
    complete: (request, signal) => (requests.push(request), sim.complete(request, signal)),
  };
  const judge = createPairwiseJudge({ lm, model: "sim-1", rubric, signature, random, step: "s" });
  return { judge, requests };
}

describe("the sim provider's pairwise judge", () => {
  it("prefers the answer the rubric ties to the input, whichever order the answers come in", async () => {
    for (const draw of [0.1, 0.9]) {
      const { judge, requests } = judgeWith(() => draw);
      expect(await judge.compare(finding, { category: "bug" }, { category: "security" })).toBe(
        "optimized",
      );
      expect(await judge.compare(finding, { category: "security" }, { category: "bug" })).toBe(
        "traditional",
      );
      expect(requests.every((r) => r.purpose === "judge")).toBe(true);
    }
    // The order really is drawn: answer_a holds the optimized answer when the draw is below ½.
    const { judge, requests } = judgeWith(() => 0.1);
    await judge.compare(finding, { category: "bug" }, { category: "security" });
    expect(requests[0]!.messages[0]!.content).toMatch(
      /\[\[ ## answer_a ## \]\]\nsecurity\n\n\[\[ ## answer_b ## \]\]\nbug$/,
    );
  });

  it("ties two answers the input supports equally, and lets a valid answer beat one outside the options", async () => {
    const { judge } = judgeWith(() => 0.5);
    expect(await judge.compare(finding, { category: "style" }, { category: "bug" })).toBe("tie");
    expect(await judge.compare(finding, { category: "maybe" }, { category: "style" })).toBe(
      "optimized",
    );
  });

  it("reads the structured preference and nothing else", () => {
    expect(parsePreference('Sure. {"preference": "B", "reason": "x"}')).toBe("B");
    expect(parsePreference('{"preference": "tie"}')).toBe("tie");
    expect(parsePreference("A is better")).toBeNull();
    expect(parsePreference('{"preference": "C"}')).toBeNull();
  });
});
