import type { InferredSignature } from "./infer-signature.js";
import type { AddedSection } from "./migration-outcome.js";
import type { ResolvedOptions } from "./migration-options.js";
import type { BlockValue } from "./render-yaml-block.js";

/** What a rule sees: the workflow's data, the options, and the signatures inferred for candidate steps. */
export interface RuleInput {
  workflow: Record<string, unknown>;
  options: ResolvedOptions;
  signatures: Array<{ step: string; type: string; signature: InferredSignature }>;
}

/** One migration rule: adds one section under `workflow:` when the file lacks it. */
export interface MigrationRule {
  section: AddedSection;
  build(input: RuleInput): { [key: string]: BlockValue };
}
