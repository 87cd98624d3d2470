import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import {
  DspyConfigSchema,
  HybridConfigSchema,
  type DspyConfig,
  type HybridConfig,
} from "../config/index.js";

/** What the migration writes; every field has the default issue 7 and the design's example give. */
export interface MigrationOptions {
  /** @default true */
  optimization_enabled?: boolean;
  /** @default "bootstrap_few_shot" */
  evaluation_mode?: NonNullable<DspyConfig["evaluation_mode"]>;
  /** Directory (relative to the working directory) holding `<step>.yaml|.jsonl|.json`. @default "training_data" */
  training_data_path?: string;
  /** @default true */
  cache_enabled?: boolean;
  /** @default "traditional" */
  fallback_strategy?: NonNullable<DspyConfig["fallback_strategy"]>;
  /** @default "weekly" */
  optimization_frequency?: NonNullable<DspyConfig["optimization_frequency"]>;
  /** @default "hybrid" */
  mode?: NonNullable<HybridConfig["mode"]>;
  /** @default true */
  intelligent_routing?: boolean;
  /** @default true */
  ab_testing_enabled?: boolean;
  /** Minimum quality gain (0-1) for the optimized variant. @default 0.1 */
  performance_threshold?: number;
  /** @default true */
  fallback_enabled?: boolean;
  /** Also return a commented training-data template per candidate step. @default false */
  scaffoldTrainingData?: boolean;
}

/** Options with every default filled (once, with `??`, so an explicit `false` wins). */
export type ResolvedOptions = Required<MigrationOptions>;

/** Fills the defaults. */
export function resolveOptions(options: MigrationOptions = {}): ResolvedOptions {
  return {
    optimization_enabled: options.optimization_enabled ?? true,
    evaluation_mode: options.evaluation_mode ?? "bootstrap_few_shot",
    training_data_path: options.training_data_path ?? "training_data",
    cache_enabled: options.cache_enabled ?? true,
    fallback_strategy: options.fallback_strategy ?? "traditional",
    optimization_frequency: options.optimization_frequency ?? "weekly",
    mode: options.mode ?? "hybrid",
    intelligent_routing: options.intelligent_routing ?? true,
    ab_testing_enabled: options.ab_testing_enabled ?? true,
    performance_threshold: options.performance_threshold ?? 0.1,
    fallback_enabled: options.fallback_enabled ?? true,
    scaffoldTrainingData: options.scaffoldTrainingData ?? false,
  };
}

const validators = new Map<string, ValidateFunction>();

function validatorFor(section: "dspy_config" | "hybrid_config"): ValidateFunction {
  let validate = validators.get(section);
  if (!validate) {
    const schema: unknown = JSON.parse(
      JSON.stringify(section === "dspy_config" ? DspyConfigSchema : HybridConfigSchema),
    );
    validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema as object);
    validators.set(section, validate);
  }
  return validate;
}

/** Checks a section against our schema (the config layer's JSON Schema); returns "path: message" lines, empty when valid. */
export function schemaErrors(section: "dspy_config" | "hybrid_config", value: unknown): string[] {
  const validate = validatorFor(section);
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e) => `${section}${e.instancePath.replaceAll("/", ".")}: ${e.message ?? "invalid"}`,
  );
}
