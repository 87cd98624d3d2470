import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { migrateSource } from "../../src/migrate/index.js";
import {
  corpusAvailable,
  corpusDir as corpus,
  corpusManifest,
  corpusTitle,
  type ManifestEntry,
} from "../support/corpus.js";
import { expectSafeMigration } from "./migration-assertions.js";

type Entry = ManifestEntry;
const manifest = { files: corpusManifest() };
const read = (entry: Entry) => readFileSync(resolve(corpus, entry.path), "utf8");
const byStatus = (...statuses: Entry["pipeline_ex_status"][]) =>
  manifest.files.filter((f) => statuses.includes(f.pipeline_ex_status));

describe.skipIf(!corpusAvailable)(corpusTitle("migrating the pipeline_ex corpus"), () => {
  it.each(byStatus("valid").map((f) => [f.path, f] as const))(
    "migrates %s without changing a byte outside the insert",
    (_path, entry) => {
      const outcome = expectSafeMigration(read(entry), entry.path);
      expect(outcome.added).toEqual(["dspy_config", "hybrid_config"]);
      const llmTypes = entry.step_types.filter((t) => /^(claude|gemini)(_|$)/.test(t));
      if (llmTypes.length === 0) expect(outcome.steps).toEqual([]);
    },
  );

  it("gives a signature to the LLM steps of the valid files, and to no other step type", () => {
    const steps = byStatus("valid").flatMap((entry) => {
      const outcome = migrateSource(read(entry), entry.path);
      return outcome.kind === "migrated" ? outcome.steps : [];
    });
    expect(steps.length).toBeGreaterThan(40);
    expect(new Set(steps.map((s) => s.type))).toEqual(
      new Set([
        "claude",
        "gemini",
        "claude_smart",
        "claude_extract",
        "claude_robust",
        "claude_session",
        "gemini_instructor",
      ]),
    );
  });

  it.each(byStatus("not_a_workflow").map((f) => [f.path, f] as const))(
    "skips %s as not a pipeline file",
    (_path, entry) => {
      const outcome = migrateSource(read(entry), entry.path);
      expect(outcome).toMatchObject({
        kind: "refused",
        code: "not_a_workflow",
        reason: expect.stringContaining("no top-level `workflow:` key"),
      });
    },
  );

  it.each(byStatus("invalid").map((f) => [f.path, f] as const))(
    "refuses %s, which pipeline_ex rejects, with the position and the fix",
    (_path, entry) => {
      const outcome = migrateSource(read(entry), entry.path);
      expect(outcome).toMatchObject({
        kind: "refused",
        code: "invalid",
        reason: expect.stringMatching(
          /^\d+:\d+: pipeline_ex rejects this file: .*prompt must be an array/,
        ),
      });
    },
  );

  it.each(byStatus("valid_test_env_only").map((f) => [f.path, f] as const))(
    "refuses %s: only pipeline_ex's test environment accepts test_echo",
    (_path, entry) => {
      const outcome = migrateSource(read(entry), entry.path);
      expect(outcome).toMatchObject({
        kind: "refused",
        code: "invalid",
        reason: expect.stringContaining("test_echo"),
      });
    },
  );
});
