import { describe, expect, it } from "vitest";
import { redact, redactDeep } from "../../src/report/index.js";

describe("redact", () => {
  it("replaces registered secrets wherever they occur", () => {
    expect(redact("key=abcd1234 then abcd1234", ["abcd1234"])).toBe("key=*** then ***");
  });

  it("catches credential-shaped tokens that were never registered", () => {
    const text = [
      "anthropic sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAA",
      "openai sk-proj-BBBBBBBBBBBBBBBBBBBBBBBBBB",
      "google AIzaSyA-1234567890abcdefghijklmnopqrstu",
      "github ghs_0123456789abcdefghijklmnopqrstuvwxyz",
      "Authorization: Bearer abcdefghijklmnopqrstuvwxyz",
      "GET /v1beta/models?key=secretvalue&alt=json",
      '{"x-api-key":"sk-something"}',
    ].join("\n");
    expect(redact(text)).toBe(
      [
        "anthropic ***",
        "openai ***",
        "google ***",
        "github ***",
        "Authorization: ***",
        "GET /v1beta/models?key=***&alt=json",
        '{"x-api-key":"***"}',
      ].join("\n"),
    );
  });

  it("catches credential labels in any letter case", () => {
    expect(
      redact(
        "BEARER abcdefghijklmnopqrstuvwxyz\nX-Goog-Api-Key: hunter2hunter2\nAUTHORIZATION=xyz",
      ),
    ).toBe("BEARER ***\nX-Goog-Api-Key: ***\nAUTHORIZATION=***");
  });

  it("ignores secrets too short to mask safely and redacts nested values", () => {
    expect(redact("a b c", ["a"])).toBe("a b c");
    expect(redactDeep({ list: ["tok-12345"], n: 3 }, ["tok-12345"])).toEqual({
      list: ["***"],
      n: 3,
    });
  });
});
