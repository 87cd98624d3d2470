import { describe, expect, it } from "vitest";
import {
  CallLedger,
  createMetric,
  MetricSpecError,
  type Fields,
} from "../../src/optimize/index.js";
import { SimModel, type LanguageModel, type LmRequest } from "../../src/providers/index.js";

const judge = (answer: string): LanguageModel & { requests: LmRequest[] } => {
  const requests: LmRequest[] = [];
  return {
    provider: "sim",
    simulated: true,
    requests,
    complete: async (r) => {
      requests.push(r);
      return {
        text: answer,
        usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
        latencyMs: 1,
        model: r.model,
        costUsd: 0,
      };
    },
  };
};
const score = (spec: Parameters<typeof createMetric>[0], expected: string, predicted: string) =>
  createMetric(spec).score({ out: expected }, { out: predicted }, {});

describe("metrics", () => {
  it("exact_match normalises case, punctuation and articles", async () => {
    expect(await score("exact_match", "The Bug.", "bug")).toBe(1);
    expect(await score("exact_match", "bug", "a style")).toBe(0);
  });
  it("contains matches whole normalised words", async () => {
    expect(await score("contains", "security", "This is a Security issue!")).toBe(1);
    expect(await score("contains", "sec", "security")).toBe(0);
  });
  it("token_f1 is the default: 'the cat sat' vs 'cat sat down' → 0.8", async () => {
    expect(await score(undefined, "the cat sat", "cat sat down")).toBeCloseTo(0.8, 10);
  });
  it("json_field_match scores the share of named fields that agree", async () => {
    expect(
      await score(
        { type: "json_field_match", fields: ["a", "b"] },
        '{"a":1,"b":2}',
        'Here: {"a":1,"b":3}',
      ),
    ).toBe(0.5);
  });
  it("regex and json_valid are reference-free", async () => {
    expect(await score({ type: "regex", pattern: "^LGTM" }, "", "LGTM, ship it")).toBe(1);
    expect(await score("json_valid", "", "{not json")).toBe(0);
  });
  it("composite weighs its parts", async () => {
    expect(
      await score(
        {
          type: "composite",
          metrics: [
            { type: "exact_match", weight: 3 },
            { type: "regex", pattern: "x", weight: 1 },
          ],
        },
        "bug",
        "bug",
      ),
    ).toBe(0.75);
  });
  it("llm_judge maps 0-10 to 0-1 with its own model and a 0.7 pass mark", async () => {
    const lm = judge("7 - mostly right");
    const ledger = new CallLedger();
    const metric = createMetric(
      { type: "llm_judge", rubric: "Correct category?", model: "judge-1" },
      { lm, ledger },
    );
    expect(await metric.score({ out: "bug" }, { out: "bug!" }, { in: "x" })).toBe(0.7);
    expect(metric.passThreshold).toBe(0.7);
    expect(lm.requests[0]).toMatchObject({ model: "judge-1", purpose: "judge" });
    expect(ledger.usage.calls.judge).toBe(1);
    expect(() => createMetric({ type: "llm_judge" })).toThrow(MetricSpecError);
  });
});

describe("metrics, exact", () => {
  const fields = (spec: Parameters<typeof createMetric>[0], e: Fields, p: Fields) =>
    createMetric(spec).score(e, p, {});
  it("exact_match is binary over all fields: one wrong field fails the example", async () => {
    expect(await fields("exact_match", { a: "x", b: "y" }, { a: "x", b: "z" })).toBe(0);
    expect(await fields("exact_match", { a: "x", b: "y" }, { a: "X.", b: "the y" })).toBe(1);
  });
  it("normalises as SQuAD and DSPy do: punctuation removed, not replaced by a space", async () => {
    expect(await score("exact_match", "don't", "dont")).toBe(1);
    expect(await score("exact_match", "e-mail", "e mail")).toBe(0);
    expect(await score("exact_match", "Café", "cafe\u0301")).toBe(1);
  });
  it("json_valid accepts the signature's object only: not a scalar, not null, several fields present", async () => {
    expect(await score("json_valid", "", '{"a": 1}')).toBe(1);
    expect(await score("json_valid", "", "```json\n[1, 2]\n```")).toBe(1);
    expect(await score("json_valid", "", '"42"')).toBe(0);
    expect(await score("json_valid", "", "42")).toBe(0);
    expect(await score("json_valid", "", "null")).toBe(0);
    expect(await fields("json_valid", { a: "", b: "" }, { a: "1", b: "text" })).toBe(1);
    expect(await fields("json_valid", { a: "", b: "" }, { a: "1", b: " " })).toBe(0);
  });
  it("json_field_match compares values deeply whatever the key order", async () => {
    expect(
      await score(
        { type: "json_field_match", fields: ["a"] },
        '{"a": {"x": 1, "y": [1, {"p": 2, "q": 3}]}}',
        '{"a": {"y": [1, {"q": 3, "p": 2}], "x": 1}}',
      ),
    ).toBe(1);
    expect(await score({ type: "json_field_match", fields: ["a"] }, '{"a": null}', "{}")).toBe(0);
  });
  it("llm_judge asks for a structured score, gives the reference when there is one, and reads JSON", async () => {
    const lm = judge('{"score": 8, "reason": "close"}');
    const metric = createMetric({ type: "llm_judge" }, { lm, ledger: new CallLedger() });
    expect(await metric.score({ out: "bug" }, { out: "bug" }, { in: "x" })).toBe(0.8);
    expect(lm.requests[0]!.system).toMatch(/JSON object only: \{"score"/);
    expect(lm.requests[0]!.messages[0]!.content).toContain("Reference answer:\nbug");
    await metric.score({}, { out: "bug" }, { in: "x" });
    expect(lm.requests[1]!.messages[0]!.content).not.toContain("Reference answer");
  });
  it("llm_judge works under sim: token overlap with the reference mapped to 0-10", async () => {
    const metric = createMetric(
      { type: "llm_judge" },
      { lm: new SimModel(), ledger: new CallLedger() },
    );
    const same = await metric.score(
      { out: "sql injection in the login view" },
      { out: "sql injection in the login view" },
      { in: "x" },
    );
    const half = await metric.score(
      { out: "sql injection login" },
      { out: "sql injection" },
      { in: "x" },
    );
    const none = await metric.score({ out: "sql injection" }, { out: "style nit" }, { in: "x" });
    expect([same, half, none]).toEqual([1, 0.8, 0]);
  });
});
