import { describe, expect, it } from "vitest";
import {
  evaluateCondition,
  evaluateExpression,
  ExpressionError,
  renderTemplate,
} from "../../src/engine/index.js";

const data: Record<string, unknown> = {
  analysis: {
    score: 8,
    confidence: 0.9,
    issues: [{ severity: "high" }, { severity: "low" }],
    file_path: "lib/a.ex",
    recommendations: ["a", "b", "c"],
  },
  name: "demo",
};
const resolve = (p: string) =>
  p
    .split(".")
    .reduce<unknown>(
      (v, k) =>
        v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined,
      data,
    );
const now = () => 10 * 86_400_000;
const cond = (c: unknown) => evaluateCondition(c, resolve, now);

describe("conditions (pipeline_ex's Condition.Engine forms)", () => {
  it.each([
    ["analysis.score > 7", true],
    ["analysis.score * analysis.confidence > 0.8", true],
    ["analysis.score + 2 * 3 == 14", true],
    ["(analysis.score + 2) * 3 == 30", true],
    ["any(analysis.issues, 'severity == \"high\"') == false", false],
    ["all(analysis.issues, 'severity == \"high\"')", false],
    ["length(analysis.recommendations) between 3 and 10", true],
    ["analysis.file_path matches '.*\\.ex'", true],
    ["analysis.file_path contains 'lib'", true],
    ["now() - days(7) == days(3)", true],
    ["analysis.missing", false],
    ["analysis", true],
    ["name == 'demo' and not analysis.missing", true],
    ["count(analysis.issues, \"severity == 'low'\") == 1", true],
  ])("%s → %s", (expression, expected) => {
    expect(cond(expression)).toBe(expected);
  });

  it("combines and/or/not maps and treats a list as and", () => {
    expect(
      cond({ and: ["analysis.score > 7", { or: ["analysis.missing", "name == 'demo'"] }] }),
    ).toBe(true);
    expect(cond({ not: "analysis.score > 7" })).toBe(false);
    expect(cond(["analysis.score > 7", "analysis.score > 9"])).toBe(false);
    expect(cond(undefined)).toBe(true);
  });

  it("throws a typed error on malformed expressions", () => {
    expect(() => evaluateExpression("analysis.score >", resolve, now)).toThrow(ExpressionError);
    expect(() => evaluateExpression("(1 + 2", resolve, now)).toThrow("expected ')' in '(1 + 2'");
  });
});

describe("templates", () => {
  it("renders values, JSON for maps, and leaves unresolved placeholders as written", () => {
    const unresolved: string[] = [];
    const out = renderTemplate(
      "{{name}} scored {{ analysis.score }}; {{analysis.recommendations}} {{nope.x}}",
      { resolve, now, onUnresolved: (p) => unresolved.push(p) },
    );
    expect(out).toBe('demo scored 8; [\n  "a",\n  "b",\n  "c"\n] {{nope.x}}');
    expect(unresolved).toEqual(["{{nope.x}}"]);
  });
});
