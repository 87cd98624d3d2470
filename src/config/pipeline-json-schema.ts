import type { TSchema } from "@sinclair/typebox";
import {
  ClaudeOptionsSchema,
  RetryConfigSchema,
  TokenBudgetSchema,
} from "./claude-options-schema.js";
import {
  DspyConfigSchema,
  HybridConfigSchema,
  MetricSpecSchema,
  SignatureFieldSchema,
  SignatureSpecSchema,
} from "./dspy-schema.js";
import { ConditionSchema, PromptPartSchema, PromptSchema } from "./prompt-schema.js";
import { StepSchema } from "./step-schema.js";
import { DefaultsSchema, WorkflowFileSchema } from "./workflow-schema.js";

/** Where the published schema lives (its `$id`). */
export const pipelineSchemaId =
  "https://github.com/hybrid-pipeline/hybrid-pipeline/schema/pipeline.schema.json";

/** Shared sub-schemas published once under `$defs` and referenced by `$ref` (keeps the file small and readable). */
const shared: Record<string, TSchema> = {
  step: StepSchema,
  prompt: PromptSchema,
  prompt_part: PromptPartSchema,
  condition: ConditionSchema,
  claude_options: ClaudeOptionsSchema,
  retry_config: RetryConfigSchema,
  token_budget: TokenBudgetSchema,
  defaults: DefaultsSchema,
  signature: SignatureSpecSchema,
  signature_field: SignatureFieldSchema,
  metric: MetricSpecSchema,
  dspy_config: DspyConfigSchema,
  hybrid_config: HybridConfigSchema,
};

type Json = unknown;
const plain = (schema: unknown): Json => JSON.parse(JSON.stringify(schema));

/** Replaces every subtree equal to a shared schema (other than `self`) by a `$ref` to it. */
function hoist(node: Json, bodies: Map<string, string>, self?: string): Json {
  if (Array.isArray(node)) return node.map((n) => hoist(n, bodies, self));
  if (typeof node !== "object" || node === null) return node;
  const text = JSON.stringify(node);
  for (const [name, body] of bodies)
    if (name !== self && body === text) return { $ref: `#/$defs/${name}` };
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, hoist(v, bodies, self)]));
}

/** The published JSON Schema (draft 2020-12) of a pipeline file, as plain JSON; shared parts live in `$defs`. */
export function pipelineJsonSchema(): Record<string, unknown> {
  const bodies = new Map(
    Object.entries(shared).map(([name, schema]) => [name, JSON.stringify(plain(schema))]),
  );
  const defs = Object.fromEntries(
    Object.entries(shared).map(([name, schema]) => [name, hoist(plain(schema), bodies, name)]),
  );
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: pipelineSchemaId,
    title: "hybrid-pipeline / pipeline_ex workflow",
    ...(hoist(plain(WorkflowFileSchema), bodies) as Record<string, unknown>),
    $defs: defs,
  };
}
