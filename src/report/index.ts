/** The run report contract (JSON) and the types it is made of. */
export * from "./run-report.js";
/** The base-branch comparison fields: step fingerprints, `vs_base`, `baseline`. */
export * from "./vs-base-schema.js";
/** Replaces secrets and credential-shaped tokens with `***`; everything leaving the process goes through it. */
export { redact, redactDeep, REDACTED } from "./redact.js";
/** Validates untrusted JSON as a {@link RunReport}, with a problem line per mismatch. */
export { parseRunReport, type ParsedReport } from "./parse-report.js";
/** The routing rule as a recommendation, read from the same CI as the verdict. */
export { recommend, type RecommendInput } from "./recommend.js";
/** The report's `ab` block from paired scores: every face and the shard merge compute it the same way. */
export { buildAbBlock, type AbBlockInput, type HeldoutSource } from "./ab-block.js";
/** The one decision rule (verdict from a CI's bounds) and FDR control across a report's steps. */
export { verdictOf, applyFdr, FDR_ALPHA } from "./verdict.js";
/** Guards and schema helpers every layer shares: a plain-object check, a string-enum check and its JSON Schema. */
export { isRecord, isOneOf, stringEnum } from "./guards.js";
/** A step's verdict by the one rule (or `not_compared`), and the counts the comment leads with. */
export {
  stepVerdict,
  countVerdicts,
  type StepVerdict,
  type VerdictCounts,
} from "./step-verdict.js";
/**
 * The base-branch comparison: each step's Δ against the base run's routed variant, paired by held-out
 * id with the paired t rule, or why it is not comparable (provider, test ids, metric, report version).
 */
export {
  compareWithBaseline,
  withoutBaseline,
  compareStep,
  changedFingerprint,
  type BaseRun,
} from "./compare-baseline.js";
/** What an open held-out verdict needs (pairs for 80% power, labelled examples, or too small to chase) and its sentence. */
export { neededExamples, neededText, labelledFor, type NeededInput } from "./needed-examples.js";
