import { Ajv2020 } from "ajv/dist/2020.js";
import { isDeepStrictEqual } from "node:util";
import { expect } from "vitest";
import { parse } from "yaml";
import { DspyConfigSchema, HybridConfigSchema, loadWorkflowText } from "../../src/config/index.js";
import { migrateSource, type MigrationOutcome } from "../../src/migrate/index.js";

const ajv = new Ajv2020({ allErrors: true, strict: false });
const schemas = {
  dspy_config: ajv.compile(JSON.parse(JSON.stringify(DspyConfigSchema)) as object),
  hybrid_config: ajv.compile(JSON.parse(JSON.stringify(HybridConfigSchema)) as object),
};

/** The inserted text when `after` is `before` with one insertion, else `undefined`. */
export function insertedText(before: string, after: string): string | undefined {
  let prefix = 0;
  while (prefix < before.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < before.length - prefix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  )
    suffix++;
  if (prefix + suffix !== before.length) return undefined;
  return after.slice(prefix, after.length - suffix);
}

type Migrated = Extract<MigrationOutcome, { kind: "migrated" }>;

/** Asserts everything issue 7 promises of a migrated file, and returns the outcome. */
export function expectSafeMigration(before: string, file: string): Migrated {
  const outcome = migrateSource(before, file);
  if (outcome.kind !== "migrated")
    throw new Error(`${file}: expected a migration, got ${JSON.stringify(outcome)}`);
  const inserted = insertedText(before, outcome.text);
  expect(inserted, `${file}: bytes outside the insert changed`).toBeDefined();
  expect(inserted).not.toMatch(/: [>|]/);
  const oldData = parse(before) as { workflow: Record<string, unknown> };
  const newData = parse(outcome.text) as { workflow: Record<string, unknown> };
  const added = Object.keys(newData.workflow).filter((k) => !Object.hasOwn(oldData.workflow, k));
  expect(added.sort()).toEqual([...outcome.added].sort());
  const expected = {
    ...oldData,
    workflow: {
      ...oldData.workflow,
      ...Object.fromEntries(added.map((k) => [k, newData.workflow[k]])),
    },
  };
  expect(isDeepStrictEqual(newData, expected), `${file}: data is not old ∪ new keys`).toBe(true);
  for (const key of added) {
    const validate = schemas[key as keyof typeof schemas];
    expect(
      validate(newData.workflow[key]),
      `${file}: ${key} ${JSON.stringify(validate.errors)}`,
    ).toBe(true);
  }
  const loaded = loadWorkflowText(outcome.text, file);
  expect(loaded.ok ? [] : loaded.problems).toEqual([]);
  expect(migrateSource(outcome.text, file)).toEqual({ kind: "already_migrated", file });
  return outcome;
}
