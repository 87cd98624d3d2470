import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { isPlainSafe, quote, renderYamlBlock } from "../../src/migrate/render-yaml-block.js";

const both = (text: string) => [parse(text, { version: "1.1" }), parse(text, { version: "1.2" })];

describe("renderYamlBlock", () => {
  it("writes YAML 1.1 words, dates, numbers-as-text and odd keys quoted, so 1.1 and 1.2 read the same strings", () => {
    const tricky = [
      "yes",
      "No",
      "on",
      "OFF",
      "y",
      "n",
      "null",
      "~",
      "2024-01-01",
      "0o17",
      "012",
      "1e3",
      "1_000",
      ".inf",
      "- x",
      "a: b",
      "# c",
      "'q'",
      "",
      " pad ",
      "✓ ok",
    ];
    const block = renderYamlBlock(
      { values: tricky, keyed: Object.fromEntries(tricky.filter(Boolean).map((t) => [t, t])) },
      "",
      "  ",
    ).join("\n");
    for (const data of both(block))
      expect(data).toEqual({
        values: tricky,
        keyed: Object.fromEntries(tricky.filter(Boolean).map((t) => [t, t])),
      });
  });

  it("escapes control characters, tabs, line separators and a BOM instead of writing them raw", () => {
    const text = 'tab\there\nline\r\u0085nel\u2028ls\u2029ps\uFEFFbom\u0007bell "q" \\ 😀';
    expect(quote(text)).toBe(
      '"tab\\there\\nline\\r\\Nnel\\Lls\\Pps\\ufeffbom\\abell \\"q\\" \\\\ 😀"',
    );
    expect(quote(text)).not.toMatch(/[\t\n\r\u0085\u2028\u2029\uFEFF]/);
    for (const data of both(`k: ${quote(text)}`)) expect(data).toEqual({ k: text });
  });

  it("writes booleans and numbers plain, nested maps and lists in block style at the given indentation", () => {
    const lines = renderYamlBlock(
      { s: { on: true, t: 0.1, n: 3, list: [{ name: "a", k: "v" }, "plain"], empty: [] } },
      "  ",
      "  ",
    );
    expect(lines).toEqual([
      "  s:",
      '    "on": true',
      "    t: 0.1",
      '    "n": 3',
      "    list:",
      "      - name: a",
      "        k: v",
      "      - plain",
      "    empty: []",
    ]);
    for (const data of both(lines.join("\n")))
      expect(data).toEqual({
        s: { on: true, t: 0.1, n: 3, list: [{ name: "a", k: "v" }, "plain"], empty: [] },
      });
  });

  it("writes plain only identifiers that are not 1.1 booleans or nulls", () => {
    expect(["bootstrap_few_shot", "Yes", "x1", "1x", "a-b"].map(isPlainSafe)).toEqual([
      true,
      false,
      true,
      false,
      false,
    ]);
  });
});
