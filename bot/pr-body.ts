import type { MigratedStep } from "../src/migrate/index.js";
import type { MigrationValues } from "./config.js";
import { inlineCode as code, escapeMarkdownInline as plain } from "../src/render/index.js";

/** What the pull request reports, per file and overall. */
export interface PrBodyInput {
  hash: string;
  migrated: Array<{ file: string; added: string[]; steps: MigratedStep[] }>;
  refused: Array<{ file: string; reason: string }>;
  alreadyMigrated: string[];
  scaffolds: string[];
  onboarding: string | null;
  migration: MigrationValues;
  branch: string;
  configPath: string;
}

/** GitHub refuses a body over 65,536 characters; leave room for the marker and the cut note. */
const maxBody = 60_000;
const markerPrefix = "<!-- hybrid-pipeline:migration hash=";

/** The content hash recorded in a pull request body by `renderPrBody`, or undefined. */
export function hashOfPrBody(body: string | null | undefined): string | undefined {
  return body
    ? /<!-- hybrid-pipeline:migration hash=([0-9a-f]{64}) -->/.exec(body)?.[1]
    : undefined;
}

/** Is this one of the bot's migration pull requests? */
export function isMigrationPrBody(body: string | null | undefined): boolean {
  return body?.includes(markerPrefix) ?? false;
}

function signatureText(step: MigratedStep): string {
  const signature = step.signature;
  if (typeof signature === "string") return signature;
  const names = (fields: Array<{ name: string }> | undefined, fallback: string) =>
    fields?.map((f) => f.name).join(", ") || fallback;
  return `${names(signature.input_fields, "prompt")} -> ${names(signature.output_fields, "output")}`;
}

function fileSection(entry: PrBodyInput["migrated"][number], detailed: boolean): string[] {
  const head = `- ${code(entry.file)}: adds ${entry.added.map(code).join(" and ")}; ${entry.steps.length} step(s) made optimizable`;
  if (!detailed) return [head];
  return [
    head,
    ...entry.steps.map(
      (s) =>
        `  - ${code(s.name)} (${code(s.type)}): signature ${code(signatureText(s))}, training data ${code(s.trainingDataPath)}`,
    ),
  ];
}

const modeText: Record<string, (m: MigrationValues) => string> = {
  traditional: () =>
    "every step keeps running its own prompt; set `hybrid_config.mode: hybrid` to use optimized programs.",
  dspy_optimized: () =>
    "steps with a signature run their compiled program (instructions and demos).",
  hybrid: (m) =>
    `the router picks, per step, the optimized program when it beats the traditional prompt by more than ${m.performance_threshold ?? 0.1} in measured quality, the traditional prompt otherwise${(m.ab_testing_enabled ?? true) ? ", and runs both (A/B) while the difference is uncertain" : ""}.`,
  evaluation: () =>
    "both variants run over the labelled examples and the report recommends one per step.",
};

function behaviour(m: MigrationValues): string[] {
  const mode = m.mode ?? "hybrid";
  const fallback = m.fallback_enabled ?? true;
  return [
    "### How it will run",
    `- Mode ${code(mode)}: ${modeText[mode]!(m)}`,
    `- Optimizer ${code(m.evaluation_mode ?? "bootstrap_few_shot")}, re-optimized ${code(m.optimization_frequency ?? "weekly")}; results cached: ${(m.cache_enabled ?? true) ? "yes" : "no"}.`,
    fallback
      ? `- Fallback: when a compiled program is missing or fails, the step runs its traditional prompt (${code(m.fallback_strategy ?? "traditional")}) and the report says why. Until training data exists every step runs its traditional prompt, so merging changes no output today.`
      : "- Fallback: disabled (`fallback_enabled: false`): an optimized step without a compiled program fails the run.",
  ];
}

/** The migration pull request's body: per-file changes, what to add, behaviour, how to opt out. */
export function renderPrBody(input: PrBodyInput): string {
  const full = bodyLines(input, true).join("\n");
  if (full.length <= maxBody) return full;
  const brief = `${bodyLines(input, false).join("\n")}\n\n_(per-step details left out: the full list is longer than a pull request body may be)_`;
  return brief.length <= maxBody
    ? brief
    : `${brief.slice(0, maxBody)}\n\n_(cut: the list is longer than a pull request body may be)_`;
}

function bodyLines(input: PrBodyInput, detailed: boolean): string[] {
  const trainingPaths = [
    ...new Set(input.migrated.flatMap((m) => m.steps.map((s) => s.trainingDataPath))),
  ].sort();
  return [
    `${markerPrefix}${input.hash} -->`,
    "This pull request adds `dspy_config` and `hybrid_config` to the pipeline files below, so their LLM steps can be optimized DSPy-style. Comments, key order and blank lines of the files are kept.",
    "",
    "### What changed",
    ...input.migrated.flatMap((m) => fileSection(m, detailed)),
    ...(input.scaffolds.length > 0
      ? ["", `Example training data added: ${input.scaffolds.map(code).join(", ")}.`]
      : []),
    ...(input.onboarding
      ? ["", `CI: ${code(input.onboarding)} runs the hybrid-pipeline Action on pull requests.`]
      : []),
    "",
    "### What you need to add",
    trainingPaths.length > 0
      ? `Labelled examples (JSONL, JSON or YAML records of \`input\` → \`output\`) at: ${trainingPaths.map(code).join(", ")}.`
      : "Nothing.",
    "",
    ...behaviour(input.migration),
    ...(input.refused.length > 0
      ? [
          "",
          "### Not migrated",
          ...input.refused.map((r) => `- ${code(r.file)}: ${plain(r.reason)}`),
        ]
      : []),
    ...(input.alreadyMigrated.length > 0
      ? ["", `Already migrated: ${input.alreadyMigrated.map(code).join(", ")}.`]
      : []),
    "",
    "### Ignore or adjust",
    `- Close this pull request without merging: it will not be reopened or recreated. Comment \`/hybrid-pipeline migrate\` on any issue or pull request to get it back.`,
    `- Exclude files or change the values written with ${code(input.configPath)} (\`paths\`, \`exclude\`, \`migration\`, \`labels\`, \`branch\`).`,
    `- Pushing your own commit to ${code(input.branch)} makes the bot leave the branch alone.`,
  ];
}
