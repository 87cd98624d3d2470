import { stringEnum } from "../report/index.js";
import { Type, type Static } from "@sinclair/typebox";
import {
  ClaudeOptionsSchema,
  TokenBudgetSchema,
  claudePresetNames,
} from "./claude-options-schema.js";
import { DspyConfigSchema, HybridConfigSchema } from "./dspy-schema.js";
import { StepSchema } from "./step-schema.js";

const closed = { additionalProperties: false } as const;
const anyMap = (description: string) => Type.Record(Type.String(), Type.Unknown(), { description });

/** `workflow.defaults`: values inherited by every step. */
export const DefaultsSchema = Type.Object(
  {
    gemini_model: Type.Optional(
      Type.String({ description: "Model of gemini steps without `model`." }),
    ),
    gemini_token_budget: Type.Optional(TokenBudgetSchema),
    claude_preset: Type.Optional(
      stringEnum(claudePresetNames, { description: "Preset of claude steps without `preset`." }),
    ),
    claude_output_format: Type.Optional(
      stringEnum(["text", "json", "stream_json", "stream-json"] as const, {
        default: "json",
        description: "`claude_options.output_format` of steps that set none.",
      }),
    ),
    claude_options: Type.Optional(ClaudeOptionsSchema),
    output_dir: Type.Optional(Type.String({ description: "Default output directory." })),
    timeout_seconds: Type.Optional(
      Type.Integer({ minimum: 1, description: "Default step timeout (s)." }),
    ),
    retry_on_error: Type.Optional(Type.Boolean({ description: "Retry failed steps." })),
    continue_on_error: Type.Optional(
      Type.Boolean({ description: "Continue after a failed step." }),
    ),
  },
  { ...closed, description: "Defaults merged into every step." },
);
export type Defaults = Static<typeof DefaultsSchema>;

/** `workflow.gemini_functions.<name>`. */
export const GeminiFunctionSchema = Type.Object(
  {
    description: Type.String({ description: "What the function does." }),
    parameters: anyMap("JSON Schema of the arguments."),
  },
  { ...closed, description: "A function Gemini may call." },
);

/** The `workflow:` map. */
export const WorkflowSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: "Workflow name." }),
    description: Type.Optional(Type.String({ description: "What the workflow does." })),
    version: Type.Optional(
      Type.Union([Type.String(), Type.Number()], { description: "Workflow version." }),
    ),
    checkpoint_enabled: Type.Optional(
      Type.Boolean({ default: false, description: "Save state after each step." }),
    ),
    checkpoint_dir: Type.Optional(
      Type.String({ default: "./checkpoints", description: "Checkpoint directory." }),
    ),
    workspace_dir: Type.Optional(
      Type.String({ default: "./workspace", description: "Claude's sandbox directory." }),
    ),
    output_dir: Type.Optional(
      Type.String({ default: "./outputs", description: "Output directory." }),
    ),
    defaults: Type.Optional(DefaultsSchema),
    global_vars: Type.Optional(
      anyMap("Variables visible to every step as `{{global_vars.name}}`."),
    ),
    gemini_functions: Type.Optional(
      Type.Record(Type.String(), GeminiFunctionSchema, {
        description: "Functions gemini steps may call, by name.",
      }),
    ),
    environment: Type.Optional(
      Type.Object(
        {
          mode: Type.Optional(stringEnum(["development", "production", "test"] as const)),
          debug_level: Type.Optional(stringEnum(["basic", "detailed", "performance"] as const)),
          cost_alerts: Type.Optional(anyMap("enabled, threshold_usd, notify_on_exceed.")),
        },
        { ...closed, description: "Environment settings." },
      ),
    ),
    claude_auth: Type.Optional(anyMap("auto_check, provider, fallback_mock, diagnostics.")),
    resource_limits: Type.Optional(anyMap("max_total_steps, max_memory_mb, max_execution_time_s.")),
    enable_context_management: Type.Optional(
      Type.Boolean({ description: "Claude context management." }),
    ),
    hooks: Type.Optional(anyMap("Claude hooks by event (`PreToolUse`, `PostToolUse`, ...).")),
    mcp_servers: Type.Optional(anyMap("MCP servers by name.")),
    setting_sources: Type.Optional(
      Type.Array(Type.String(), { description: "Claude setting sources." }),
    ),
    input: Type.Optional(anyMap("Input values.")),
    steps: Type.Array(StepSchema, {
      minItems: 1,
      description: "The steps, run in order (at least one).",
    }),
    dspy_config: Type.Optional(DspyConfigSchema),
    hybrid_config: Type.Optional(HybridConfigSchema),
  },
  { ...closed, description: "A pipeline_ex workflow." },
);
export type Workflow = Static<typeof WorkflowSchema>;

/** A whole pipeline file: `{workflow: ...}`. */
export const WorkflowFileSchema = Type.Object(
  { workflow: WorkflowSchema },
  { ...closed, description: "A pipeline file." },
);
export type WorkflowFile = Static<typeof WorkflowFileSchema>;
