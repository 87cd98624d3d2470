import {
  isAlias,
  isMap,
  isScalar,
  parseDocument,
  type Document,
  type Pair,
  type YAMLMap,
} from "yaml";
import type { RefusalCode } from "./migration-outcome.js";

/** The parsed file with the `workflow:` map located for a text edit. */
export interface WorkflowDocument {
  data: Record<string, unknown>;
  workflow: Record<string, unknown>;
  /** The `workflow:` map node (block style, with source ranges). */
  map: YAMLMap<unknown, unknown>;
  /** The `workflow` key node. */
  key: unknown;
}

export type ReadOutcome =
  | { kind: "read"; document: WorkflowDocument }
  | { kind: "refused"; code: RefusalCode; reason: string };

/** The parse options shared with the config layer (`uniqueKeys`) so both read the same data. */
export const parseOptions = { uniqueKeys: true, prettyErrors: false } as const;

const maxAliasCount = 1000;

function workflowPair(root: YAMLMap<unknown, unknown>): Pair<unknown, unknown> | undefined {
  return root.items.find((p) => isScalar(p.key) && p.key.value === "workflow");
}

/**
 * Parses a file the config layer already accepted and checks it can be edited as text: a block-style root map
 * whose `workflow:` value is a block-style map written in place (not an alias).
 */
export function readWorkflowDocument(text: string): ReadOutcome {
  const doc: Document.Parsed = parseDocument(text, parseOptions);
  if (doc.errors.length > 0)
    return {
      kind: "refused",
      code: "invalid",
      reason: `YAML error: ${doc.errors[0]!.message.split("\n")[0]}`,
    };
  const root = doc.contents;
  if (!isMap(root))
    return { kind: "refused", code: "not_a_workflow", reason: "the root is not a map" };
  const pair = workflowPair(root);
  if (!pair)
    return { kind: "refused", code: "not_a_workflow", reason: "no top-level `workflow:` key" };
  if (root.flow)
    return {
      kind: "refused",
      code: "unsafe_edit",
      reason:
        "the root map is written in flow style (`{...}`); migration edits block-style files only",
    };
  if (isAlias(pair.value))
    return {
      kind: "refused",
      code: "unsafe_edit",
      reason: "`workflow:` is an alias (`*name`); write the map in place to migrate it",
    };
  if (!isMap(pair.value))
    return { kind: "refused", code: "invalid", reason: "`workflow:` is not a map" };
  if (pair.value.flow)
    return {
      kind: "refused",
      code: "unsafe_edit",
      reason:
        "the `workflow:` map is written in flow style (`{...}`); migration edits block-style maps only",
    };
  const data = doc.toJS({ maxAliasCount }) as Record<string, unknown>;
  return {
    kind: "read",
    document: {
      data,
      workflow: data["workflow"] as Record<string, unknown>,
      map: pair.value,
      key: pair.key,
    },
  };
}
