import { Type, type Static } from "@sinclair/typebox";

const closed = { additionalProperties: false } as const;

/** `{type: static, content}`: inline text. */
export const StaticPartSchema = Type.Object(
  {
    type: Type.Literal("static"),
    content: Type.String({
      description: "Inline prompt text; `{{...}}` templates are resolved at run time.",
    }),
  },
  { ...closed, description: "Inline text." },
);

/** `{type: file, path}`: the content of a file. */
export const FilePartSchema = Type.Object(
  {
    type: Type.Literal("file"),
    path: Type.String({ description: "File path, relative to the working directory." }),
    variables: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "Template variables substituted into the file.",
      }),
    ),
    inject_as: Type.Optional(
      Type.String({ description: "Variable name to inject the content as." }),
    ),
    encoding: Type.Optional(Type.String({ description: "File encoding.", default: "utf-8" })),
  },
  { ...closed, description: "The content of a file." },
);

/** `{type: previous_response, step}`: an earlier step's output. */
export const PreviousResponsePartSchema = Type.Object(
  {
    type: Type.Literal("previous_response"),
    step: Type.String({ description: "Name of an earlier top-level step; must exist." }),
    extract: Type.Optional(
      Type.String({ description: "Field (JSON path) to take from that step's output." }),
    ),
    extract_with: Type.Optional(
      Type.String({ description: "Extractor, e.g. `content_extractor`." }),
    ),
    summary: Type.Optional(Type.Boolean({ description: "Summarise the content first." })),
    max_length: Type.Optional(
      Type.Integer({ minimum: 1, description: "Truncate to this many characters." }),
    ),
    strict: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "Fail the step when `extract` names a field that step's output lacks, instead of warning and using the whole output.",
      }),
    ),
  },
  { ...closed, description: "The output of an earlier step." },
);

/** `{type: session_context, session_id}`: messages of a Claude session. */
export const SessionContextPartSchema = Type.Object(
  {
    type: Type.Literal("session_context"),
    session_id: Type.String({ description: "Session whose messages to include." }),
    include_last_n: Type.Optional(
      Type.Integer({ minimum: 1, description: "How many recent messages to include." }),
    ),
  },
  { ...closed, description: "Recent messages of a Claude session." },
);

/** `{type: claude_continue, session_id}`: continue a Claude session. */
export const ClaudeContinuePartSchema = Type.Object(
  {
    type: Type.Literal("claude_continue"),
    session_id: Type.String({ description: "Session to continue." }),
    new_prompt: Type.Optional(Type.String({ description: "Text sent as the continuation." })),
  },
  { ...closed, description: "Continues a Claude session." },
);

const PromptPartUnion = Type.Union([
  StaticPartSchema,
  FilePartSchema,
  PreviousResponsePartSchema,
  SessionContextPartSchema,
  ClaudeContinuePartSchema,
]);

/** The five prompt part types pipeline_ex's loader knows, in its order. */
export const promptPartTypes = [
  "static",
  "file",
  "previous_response",
  "session_context",
  "claude_continue",
] as const;

/** One element of a step's `prompt:` list (discriminated on `type`). */
export const PromptPartSchema = Type.Unsafe<Static<typeof PromptPartUnion>>({
  type: "object",
  oneOf: PromptPartUnion.anyOf,
  discriminator: { propertyName: "type" },
  description: "A prompt part; `type` is one of: " + promptPartTypes.join(", ") + ".",
});
export type PromptPart = Static<typeof PromptPartSchema>;

/** A step's `prompt:`: the parts, concatenated in order. */
export const PromptSchema = Type.Array(PromptPartSchema, {
  description:
    "Prompt parts, concatenated in order. Write a list of parts, not a plain string (pipeline_ex's loader rejects strings).",
});

/** A `condition:`: an expression string, or `and`/`or`/`not` of conditions. */
export const ConditionSchema = Type.Union(
  [
    Type.String(),
    Type.Boolean(),
    Type.Object(
      {
        and: Type.Optional(Type.Array(Type.Unknown())),
        or: Type.Optional(Type.Array(Type.Unknown())),
        not: Type.Optional(Type.Unknown()),
      },
      closed,
    ),
  ],
  {
    description:
      'Run only when true: `"step_name.field > 7"`, or `{and: [...]}`, `{or: [...]}`, `{not: ...}`.',
  },
);
export type Condition = Static<typeof ConditionSchema>;
