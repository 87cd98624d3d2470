import type { SignatureField } from "../../config/index.js";
import type { InferredSignature } from "../infer-signature.js";
import type { MigrationRule } from "../migration-rule.js";
import type { BlockValue } from "../render-yaml-block.js";

function field(f: SignatureField): { [key: string]: BlockValue } {
  const out: { [key: string]: BlockValue } = { name: f.name, type: f.type ?? "string" };
  if (f.description !== undefined) out["description"] = f.description;
  if (f.template !== undefined) out["template"] = f.template;
  if (f.options !== undefined) out["options"] = f.options;
  return out;
}

function signature(s: InferredSignature): { [key: string]: BlockValue } {
  const out: { [key: string]: BlockValue } = { instructions: s.instructions };
  if (s.input_fields) out["input_fields"] = s.input_fields.map(field);
  out["output_fields"] = s.output_fields.map(field);
  return out;
}

/**
 * Adds `workflow.dspy_config` (design section 7, `generate_dspy_config`): the optimizer settings from the options,
 * and under `signatures` one inferred signature per candidate step (omitted when no step qualifies).
 */
export const addDspyConfig: MigrationRule = {
  section: "dspy_config",
  build({ options, signatures }) {
    const config: { [key: string]: BlockValue } = {
      optimization_enabled: options.optimization_enabled,
      evaluation_mode: options.evaluation_mode,
      training_data_path: options.training_data_path,
      cache_enabled: options.cache_enabled,
      fallback_strategy: options.fallback_strategy,
      optimization_frequency: options.optimization_frequency,
    };
    if (signatures.length > 0)
      config["signatures"] = Object.fromEntries(
        signatures.map((s) => [s.step, signature(s.signature)]),
      );
    return config;
  },
};
