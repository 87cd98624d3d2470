import * as core from "@actions/core";
import { afterEach, describe, expect, it } from "vitest";
import { parseInputs, parseShard, secretsOf } from "../../src/action/inputs.js";
import { inputEnv } from "./run-dist.js";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

/** Reads inputs exactly as the bundle does: `core.getInput` over the runner's `INPUT_*` variables. */
function parseFromEnv(inputs: Record<string, string>) {
  Object.assign(process.env, inputEnv(inputs));
  return parseInputs((name) => core.getInput(name));
}

describe("parseInputs", () => {
  it("reads hyphenated inputs under the runner's names and fills the documented defaults", () => {
    expect(inputEnv({ "github-token": "t", "fail-on": "never" })).toEqual({
      "INPUT_GITHUB-TOKEN": "t",
      "INPUT_FAIL-ON": "never",
    });
    const parsed = parseFromEnv({
      workflows: "pipelines/*.yaml\n# comment\n!pipelines/skip.yaml, more/*.yml",
      "github-token": "ghs_abc",
      comment: "false",
    });
    expect(parsed).toEqual({
      kind: "ok",
      inputs: {
        workflows: ["pipelines/*.yaml", "!pipelines/skip.yaml", "more/*.yml"],
        mode: null,
        provider: "auto",
        anthropicApiKey: "",
        geminiApiKey: "",
        openaiApiKey: "",
        openaiBaseUrl: "",
        githubToken: "ghs_abc",
        comment: false,
        cache: true,
        compile: true,
        cacheKeyPrefix: "hybrid-pipeline",
        cacheDir: ".hybrid-pipeline/cache",
        programsDir: "hybrid-pipeline-programs",
        cassetteDir: ".hybrid-pipeline/cassettes",
        redisUrl: "",
        budgetUsd: null,
        concurrency: 4,
        failOn: "error",
        shard: { index: 1, count: 1 },
        reportPath: "hybrid-pipeline-report.json",
        report: [],
        pullRequest: null,
        reportUrl: "",
      },
    });
  });

  it("collects every invalid input with what to write instead", () => {
    const parsed = parseFromEnv({
      workflows: "",
      mode: "fast",
      provider: "claude",
      "fail-on": "always",
      "budget-usd": "-1",
      concurrency: "0",
      shard: "3/2",
      cache: "yes",
      "report-url": "javascript:alert(1)",
    });
    expect(parsed).toEqual({
      kind: "invalid",
      problems: [
        "input 'mode' is 'fast': use one of traditional, dspy_optimized, hybrid, evaluation",
        "input 'provider' is 'claude': use one of auto, anthropic, gemini, openai, sim, replay",
        "input 'fail-on' is 'always': use one of error, regression, never",
        "input 'budget-usd' is '-1': write a non-negative number of dollars, e.g. 2.50",
        "input 'concurrency' is '0': write a whole number ≥ 1",
        "input 'shard' is '3/2': write i/n with 1 ≤ i ≤ n, e.g. 2/4",
        "input 'report-url' is 'javascript:alert(1)': write an https URL, e.g. the artifact-url output of actions/upload-artifact",
        "input 'workflows' is empty: list glob patterns of pipeline files, e.g. pipelines/**/*.yaml",
        "input 'cache' is 'yes': use true or false",
      ],
    });
  });

  it("parses shards as i/n", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    expect(parseShard(" 1 / 1 ")).toEqual({ index: 1, count: 1 });
    expect(parseShard("0/3")).toMatch(/^input 'shard' is '0\/3'/);
    expect(parseShard("two")).toMatch(/^input 'shard' is 'two'/);
  });

  it("lists every secret to mask: keys, token, the Redis password and provider keys from the environment", () => {
    const parsed = parseFromEnv({
      workflows: "x",
      "anthropic-api-key": "sk-ant-1234",
      "github-token": "ghs_t",
      "redis-url": "redis://user:hunter22@cache:6379",
    });
    if (parsed.kind !== "ok") throw new Error("expected valid inputs");
    expect(secretsOf(parsed.inputs, { OPENAI_API_KEY: "sk-env" })).toEqual([
      "sk-ant-1234",
      "ghs_t",
      "hunter22",
      "sk-env",
    ]);
  });
});
