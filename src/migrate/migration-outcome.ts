import type { SignatureSpec } from "../config/index.js";

/** The two sections migration adds under `workflow:`. */
export type AddedSection = "dspy_config" | "hybrid_config";

/**
 * Why a file was refused. `not_a_workflow`: empty, not a map, or no `workflow:` key (a batch may skip it);
 * `invalid`: YAML or pipeline errors the user must fix; `unsafe_edit`: the edit could not be proven harmless;
 * `options`: the migration options themselves are invalid.
 */
export type RefusalCode = "not_a_workflow" | "invalid" | "unsafe_edit" | "options";

/** A step that received a signature under `dspy_config.signatures`. */
export interface MigratedStep {
  name: string;
  type: string;
  signature: SignatureSpec;
  /** Where the step's training data is expected (relative to the working directory). */
  trainingDataPath: string;
}

/** A training-data file to create beside the pipeline (path relative to the working directory). */
export interface Scaffold {
  path: string;
  text: string;
}

/** What `migrateSource` did with one file; a refused file is never changed. */
export type MigrationOutcome =
  | {
      kind: "migrated";
      file: string;
      text: string;
      added: AddedSection[];
      steps: MigratedStep[];
      scaffolds: Scaffold[];
    }
  | { kind: "already_migrated"; file: string }
  | {
      kind: "refused";
      file: string;
      reason: string;
      /** Always set by `migrateSource`; optional so that hand-built outcomes keep the contract's shape. */
      code?: RefusalCode;
    };

/** Shorthand for a refusal. */
export function refuse(file: string, code: RefusalCode, reason: string): MigrationOutcome {
  return { kind: "refused", file, reason, code };
}
