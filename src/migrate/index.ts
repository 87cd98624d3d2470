/**
 * Migrates one pipeline file's text: adds `workflow.dspy_config` and `workflow.hybrid_config` as a byte-preserving
 * insertion, verified by re-parsing; refuses (file untouched) what it cannot migrate safely.
 * @example
 *   const outcome = migrateSource(readFileSync(path, "utf8"), path);
 *   if (outcome.kind === "migrated") writeFileSync(path, outcome.text);
 */
export { migrateSource } from "./migrate-source.js";
/** The outcome of `migrateSource` (migrated | already_migrated | refused), a migrated step, a scaffold, refusal codes. */
export type {
  MigrationOutcome,
  MigratedStep,
  Scaffold,
  AddedSection,
  RefusalCode,
} from "./migration-outcome.js";
/** The migration options (`@default` on each field) and their resolution. */
export {
  resolveOptions,
  type MigrationOptions,
  type ResolvedOptions,
} from "./migration-options.js";
/** The steps migration would give a signature, and the signature it infers (pure, for previews). */
export { findCandidates, type Candidate } from "./find-candidates.js";
export { inferSignature, type InferredSignature } from "./infer-signature.js";
