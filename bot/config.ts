import { Type, type Static, type TLiteral, type TUnion } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { executionModes, optimizationFrequencies, optimizerNames } from "../src/config/index.js";

/** Where the bot's configuration lives in a repository. */
export const configPath = ".github/hybrid-pipeline.yml";

/** A string enumeration whose static type is the union of its values. */
function oneOf<T extends string>(values: readonly T[]): TUnion<Array<TLiteral<T>>> {
  return Type.Union(values.map((v) => Type.Literal(v)));
}

/** The values the migration writes into `dspy_config` / `hybrid_config`. */
const MigrationSchema = Type.Object(
  {
    optimization_enabled: Type.Optional(Type.Boolean()),
    evaluation_mode: Type.Optional(oneOf(optimizerNames)),
    training_data_path: Type.Optional(Type.String({ minLength: 1 })),
    cache_enabled: Type.Optional(Type.Boolean()),
    fallback_strategy: Type.Optional(oneOf(["traditional", "fail"])),
    optimization_frequency: Type.Optional(oneOf(optimizationFrequencies)),
    mode: Type.Optional(oneOf(executionModes)),
    intelligent_routing: Type.Optional(Type.Boolean()),
    ab_testing_enabled: Type.Optional(Type.Boolean()),
    performance_threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    fallback_enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** `.github/hybrid-pipeline.yml`: every key optional. */
export const BotConfigSchema = Type.Object(
  {
    /** Globs of pipeline files. @default ["**\/*.yaml", "**\/*.yml"] */
    paths: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    /** Globs never touched. @default [".github/**", "**\/node_modules/**", "**\/training_data/**"] */
    exclude: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    migration: Type.Optional(MigrationSchema),
    /** Labels put on the pull request (created when missing). @default ["hybrid-pipeline"] */
    labels: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }))),
    /** The one branch the bot commits to. @default "hybrid-pipeline/migrate" */
    branch: Type.Optional(Type.String({ minLength: 1, pattern: "^[A-Za-z0-9._/-]+$" })),
    /** Add a commented training-data template per migrated step. @default false */
    scaffold_training_data: Type.Optional(Type.Boolean()),
    /** Add `.github/workflows/hybrid-pipeline.yml` running the Action on pull requests. @default false */
    onboarding: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type BotConfigFile = Static<typeof BotConfigSchema>;
export type MigrationValues = Static<typeof MigrationSchema>;

/** The configuration with every default filled. */
export interface BotConfig {
  paths: string[];
  exclude: string[];
  migration: MigrationValues;
  labels: string[];
  branch: string;
  scaffoldTrainingData: boolean;
  onboarding: boolean;
}

/** The outcome of reading `.github/hybrid-pipeline.yml`. */
export type ConfigResult =
  { kind: "ok"; config: BotConfig } | { kind: "invalid"; problems: string[] };

/** Validates a parsed config file (null: no file) and fills the defaults once, with `??`. */
export function resolveBotConfig(raw: unknown): ConfigResult {
  const file = raw ?? {};
  if (!Value.Check(BotConfigSchema, file)) {
    const problems = [...Value.Errors(BotConfigSchema, file)].map(
      (e) => `${configPath}: ${e.path || "/"}: ${e.message}`,
    );
    return { kind: "invalid", problems };
  }
  return {
    kind: "ok",
    config: {
      paths: file.paths ?? ["**/*.yaml", "**/*.yml"],
      exclude: file.exclude ?? [".github/**", "**/node_modules/**", "**/training_data/**"],
      migration: file.migration ?? {},
      labels: file.labels ?? ["hybrid-pipeline"],
      branch: file.branch ?? "hybrid-pipeline/migrate",
      scaffoldTrainingData: file.scaffold_training_data ?? false,
      onboarding: file.onboarding ?? false,
    },
  };
}
