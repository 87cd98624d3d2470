import { isDeepStrictEqual } from "node:util";
import { parseDocument } from "yaml";
import { checkLoadable } from "./check-loadable.js";
import type { Insertion } from "./insert-block.js";
import { parseOptions } from "./read-workflow-document.js";

/** What the edit must achieve. */
export interface ExpectedEdit {
  file: string;
  /** The data of the file before the edit. */
  before: Record<string, unknown>;
  /** The keys added under `workflow:` and their values. */
  additions: Record<string, unknown>;
}

const maxAliasCount = 1000;

function parsedData(text: string, version: "1.1" | "1.2"): unknown {
  const doc = parseDocument(text, { ...parseOptions, version });
  if (doc.errors.length > 0) return undefined;
  return doc.toJS({ maxAliasCount }) as unknown;
}

/** A deep copy that does not keep shared references: an alias of the workflow map must not receive the new keys. */
function unshared(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unshared);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unshared(v)]));
  return value;
}

/**
 * Re-parses the edited text and proves the edit harmless; returns why not, or `undefined` when it is.
 * Checks: the data equals the old data plus exactly the added keys under `workflow:`; the file still loads
 * (lenient and as pipeline_ex would); and the inserted block alone reads the same in YAML 1.1 as intended, so
 * tools on YAML 1.1 (PyYAML, pipeline_ex's yaml_elixir) see the same values.
 */
export function verifyMigration(
  text: string,
  insertion: Insertion,
  expected: ExpectedEdit,
): string | undefined {
  const after = parsedData(text, "1.2");
  if (after === undefined) return "the edited file does not parse";
  const wanted = unshared(expected.before) as Record<string, unknown>;
  Object.assign(wanted["workflow"] as Record<string, unknown>, expected.additions);
  if (!isDeepStrictEqual(after, wanted))
    return "the edited file's data is not the old data plus the new keys";
  if (!isDeepStrictEqual(parsedData(insertion.text, "1.1"), expected.additions))
    return "the inserted block reads differently in YAML 1.1";
  const refusal = checkLoadable(text, expected.file);
  return refusal ? `the edited file does not load: ${refusal.reason}` : undefined;
}
