import { checkLoadable } from "./check-loadable.js";
import { findCandidates } from "./find-candidates.js";
import { inferSignature } from "./infer-signature.js";
import { applyInsertion, insertionCandidates, layoutOf } from "./insert-block.js";
import {
  refuse,
  type MigratedStep,
  type MigrationOutcome,
  type Scaffold,
} from "./migration-outcome.js";
import { resolveOptions, schemaErrors, type MigrationOptions } from "./migration-options.js";
import type { MigrationRule, RuleInput } from "./migration-rule.js";
import { readWorkflowDocument } from "./read-workflow-document.js";
import { renderYamlBlock } from "./render-yaml-block.js";
import { addDspyConfig } from "./rules/add-dspy-config.js";
import { addHybridConfig } from "./rules/add-hybrid-config.js";
import {
  isSingleDataFile,
  scaffoldTrainingData,
  trainingDataPathOf,
} from "./scaffold-training-data.js";
import { verifyMigration } from "./verify-migration.js";

/** The rules, in the order their sections are written. */
const rules: MigrationRule[] = [addDspyConfig, addHybridConfig];

function stepsAndScaffolds(
  input: RuleInput,
  wantScaffolds: boolean,
): { steps: MigratedStep[]; scaffolds: Scaffold[] } {
  const dataPath = input.options.training_data_path;
  const workflowName =
    typeof input.workflow["name"] === "string" ? input.workflow["name"] : "workflow";
  const steps: MigratedStep[] = [];
  const scaffolds: Scaffold[] = [];
  for (const { step, type, signature } of input.signatures) {
    const path = trainingDataPathOf(dataPath, step);
    steps.push({ name: step, type, signature, trainingDataPath: path ?? dataPath });
    if (wantScaffolds && path && !isSingleDataFile(dataPath))
      scaffolds.push({ path, text: scaffoldTrainingData(workflowName, step, signature) });
  }
  return { steps, scaffolds };
}

/**
 * Migrates one pipeline file's text to hybrid execution (design section 7): adds `workflow.dspy_config` (with a
 * signature per candidate step) and `workflow.hybrid_config`, whichever is missing, as one text insertion at the
 * end of the `workflow:` map. Every byte outside the inserted block stays as it was. The result is re-parsed and
 * must hold the old data plus exactly the new keys, else the file is refused. Pure; never throws on bad input.
 */
export function migrateSource(
  source: string,
  file: string,
  options: MigrationOptions = {},
): MigrationOutcome {
  const resolved = resolveOptions(options);
  if (!Number.isFinite(resolved.performance_threshold))
    return refuse(
      file,
      "options",
      "the migration option performance_threshold must be a number from 0 to 1",
    );
  const loadRefusal = checkLoadable(source, file);
  if (loadRefusal) return refuse(file, loadRefusal.code, loadRefusal.reason);
  const read = readWorkflowDocument(source);
  if (read.kind === "refused") return refuse(file, read.code, read.reason);
  const { data, workflow, map, key } = read.document;
  const missing = rules.filter((rule) => !Object.hasOwn(workflow, rule.section));
  if (missing.length === 0) return { kind: "already_migrated", file };
  const addsSignatures = missing.includes(addDspyConfig);
  const signatures = addsSignatures
    ? findCandidates(workflow).map((c) => ({
        step: c.name,
        type: c.type,
        signature: inferSignature(c),
      }))
    : [];
  const input: RuleInput = { workflow, options: resolved, signatures };
  const additions = Object.fromEntries(missing.map((rule) => [rule.section, rule.build(input)]));
  const invalid = missing.flatMap((rule) => schemaErrors(rule.section, additions[rule.section]));
  if (invalid.length > 0)
    return refuse(
      file,
      "options",
      `the migration options give invalid settings: ${invalid.join("; ")}`,
    );
  const layout = layoutOf(source, map, key);
  if (!layout)
    return refuse(
      file,
      "unsafe_edit",
      "the keys of the `workflow:` map do not each start a line at one indentation",
    );
  const lines = renderYamlBlock(additions, layout.indent, layout.unit);
  let failure = "";
  for (const insertion of insertionCandidates(source, map, lines, layout)) {
    const text = applyInsertion(source, insertion);
    const problem = verifyMigration(text, insertion, { file, before: data, additions });
    if (problem === undefined) {
      const { steps, scaffolds } = stepsAndScaffolds(input, resolved.scaffoldTrainingData);
      return {
        kind: "migrated",
        file,
        text,
        added: missing.map((rule) => rule.section),
        steps,
        scaffolds,
      };
    }
    failure ||= problem;
  }
  return refuse(
    file,
    "unsafe_edit",
    `the edit could not be proven safe, file left untouched: ${failure}`,
  );
}
