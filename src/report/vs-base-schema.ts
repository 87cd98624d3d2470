/**
 * The report's base-branch comparison fields: what a later run needs to compare a step against this
 * one (`steps[].fingerprint`), what a pull-request run compared against (`baseline`) and each step's
 * result (`steps[].vs_base`). Kept apart from `run-report.ts`, which composes them.
 */
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { stringEnum } from "./guards.js";

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const shortHash = (description: string) =>
  Nullable(Type.String({ description: `${description} (first 12 hex digits of its SHA-256).` }));

export const StepFingerprintSchema = Type.Object(
  {
    prompt: shortHash(
      "The step's prompt as written: its parts with `file` parts' contents, and the system prompt, before inputs are rendered; null without a prompt",
    ),
    signature: shortHash("The resolved signature; null without one"),
    training_data: shortHash("The step's training-data file; null without a signature or data"),
    program: shortHash(
      "The program the run used: its optimization-cache key (compiled or cached) or the committed file's; null without one",
    ),
  },
  {
    description:
      "Hashes of what the step's result depends on, so a later run can name what changed.",
  },
);
export type StepFingerprint = Static<typeof StepFingerprintSchema>;

export const fingerprintParts = ["prompt", "signature", "training_data", "program"] as const;
export type FingerprintPart = (typeof fingerprintParts)[number];

const RouteNameSchema = stringEnum(["traditional", "optimized", "ab"] as const, {
  description: "A route that produces a result (`ab`: the better of both variants per example).",
});

export const VsBaseSchema = Type.Union(
  [
    Type.Object({
      comparable: Type.Literal(true),
      delta: Type.Number({
        description:
          "Mean over the common held-out examples of (quality of the variant this run routes to − quality of the variant the base run routed to).",
      }),
      ci95: Type.Tuple([Type.Number(), Type.Number()], {
        description: "95% CI of delta: the paired t interval, the report's one rule.",
      }),
      p_value: Nullable(Type.Number({ description: "Two-sided p of the same paired t test." })),
      se: Type.Optional(Type.Number({ description: "Standard error of delta." })),
      df: Type.Optional(Type.Number({ description: "Degrees of freedom of the t test." })),
      q_value: Type.Optional(
        Nullable(
          Type.Number({
            description:
              "Benjamini–Hochberg adjusted p across the report's comparable vs-base steps.",
          }),
        ),
      ),
      ci_fdr: Type.Optional(
        Type.Tuple([Type.Number(), Type.Number()], {
          description:
            "The CI of delta at the false-coverage-adjusted level across the report's comparable vs-base steps; the verdict reads it.",
        }),
      ),
      verdict: Type.Optional(
        stringEnum(["better", "worse", "inconclusive"] as const, {
          description:
            "better: ci_fdr wholly above 0 (the step gained on the base run); worse: wholly below 0; else inconclusive.",
        }),
      ),
      n: Type.Integer({ description: "Held-out examples paired by id." }),
      route_now: RouteNameSchema,
      route_base: RouteNameSchema,
      changed: Type.Array(stringEnum(fingerprintParts, { description: "Fingerprint part." }), {
        description: "What differs from the base run's fingerprint of the step.",
      }),
    }),
    Type.Object({
      comparable: Type.Literal(false),
      reason: Type.String({ description: "Why the step cannot be compared with the base run." }),
      changed: Type.Optional(
        Type.Array(stringEnum(fingerprintParts, { description: "Fingerprint part." })),
      ),
    }),
  ],
  { description: "The step against the base branch's latest saved run." },
);
export type VsBase = Static<typeof VsBaseSchema>;

export const BaselineSchema = Type.Object(
  {
    branch: Type.String({ description: "The base branch." }),
    sha: Nullable(Type.String({ description: "The commit the base run built; null without one." })),
    schema_version: Nullable(
      Type.Integer({ description: "The base report's schema version; null without one." }),
    ),
    provider: Nullable(Type.String({ description: "The base run's provider." })),
    note: Nullable(
      Type.String({
        description:
          "Why nothing was compared (no baseline yet, cache unavailable, a report too old), or null.",
      }),
    ),
  },
  { description: "The base-branch run this pull-request run was compared against." },
);
export type Baseline = Static<typeof BaselineSchema>;
