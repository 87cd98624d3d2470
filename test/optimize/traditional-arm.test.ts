import { describe, expect, it } from "vitest";
import {
  resolveSignature,
  traditionalPrompt,
  traditionalRequest,
} from "../../src/optimize/index.js";

const inputs = (...fields: Array<[string, string]>) =>
  resolveSignature(
    {
      name: "t",
      signature: {
        input_fields: fields.map(([name, template]) => ({ name, template })),
        output_fields: [{ name: "label" }],
      },
    },
    {},
  )!;

describe("traditional arm: which part an input's template names", () => {
  const parts = [
    { type: "static", content: "Compare:" },
    { type: "previous_response", step: "a" },
    { type: "previous_response", step: "ab" },
  ];

  it("matches the step name as a whole path segment, not as a prefix", () => {
    const signature = inputs(["long", "{{steps.ab.text}}"]);
    expect(traditionalPrompt({ name: "t", prompt: parts }, signature, { long: "AB" })).toBe(
      "Compare:\n{{steps.a.result}}\nAB",
    );
  });

  it("still matches the exact step, with or without a field after it", () => {
    const signature = inputs(["short", "{{steps.a}}"], ["long", "{{steps.ab.text}}"]);
    expect(
      traditionalPrompt({ name: "t", prompt: parts }, signature, { short: "A", long: "AB" }),
    ).toBe("Compare:\nA\nAB");
  });

  it("recognises the previous_response:<step> form whole too", () => {
    const signature = inputs(["long", "{{previous_response:ab}}"]);
    expect(traditionalPrompt({ name: "t", prompt: parts }, signature, { long: "AB" })).toBe(
      "Compare:\n{{steps.a.result}}\nAB",
    );
  });

  it("matches a file part by its whole path, not a path that ends with it", () => {
    const signature = inputs(["meta", "{{file:metadata.txt}}"]);
    const prompt = [
      { type: "file", path: "data.txt" },
      { type: "file", path: "metadata.txt" },
    ];
    expect(traditionalPrompt({ name: "t", prompt }, signature, { meta: "M" })).toBe(
      "{{file:data.txt}}\nM",
    );
  });
});

describe("traditional arm: system prompt", () => {
  const signature = inputs(["language", "{{inputs.language}}"], ["code", "{{steps.read.text}}"]);
  const step = {
    name: "review",
    claude_options: {
      system_prompt: "You review {{inputs.language}} code. Keep {{global_vars.style}} as written.",
    },
    prompt: [
      { type: "static", content: "Review this:" },
      { type: "previous_response", step: "read" },
    ],
  };

  it("replaces input templates in the system prompt with the example's values, and does not append those inputs again", () => {
    const request = traditionalRequest(
      step,
      signature,
      { language: "Rust", code: "fn main() {}" },
      { model: "m" },
    );
    expect(request.system).toBe("You review Rust code. Keep {{global_vars.style}} as written.");
    expect(request.messages).toEqual([{ role: "user", content: "Review this:\nfn main() {}" }]);
  });

  it("sends no system prompt when the step has none", () => {
    expect(
      traditionalRequest(
        { name: "r", prompt: step.prompt },
        signature,
        { language: "Go", code: "x" },
        { model: "m" },
      ),
    ).not.toHaveProperty("system");
  });
});
