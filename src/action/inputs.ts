import { providerChoices, type ProviderChoice } from "../engine/index.js";
import { executionModeValues, isOneOf, type ExecutionMode } from "../report/index.js";

export type { ProviderChoice };
/** A provider the run uses once `auto` is decided. */
export type ProviderName = Exclude<ProviderChoice, "auto">;
export type FailOn = "error" | "regression" | "never";

/** One matrix shard: this job runs the files whose sorted index ≡ `index - 1` (mod `count`). */
export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** The Action's inputs, parsed and validated (action.yml documents each). */
export interface ActionInputs {
  /** Glob patterns of pipeline files, relative to the workspace. */
  workflows: string[];
  /** null: each file's own mode (hybrid_config.mode / dspy_config flags). */
  mode: ExecutionMode | null;
  provider: ProviderChoice;
  anthropicApiKey: string;
  geminiApiKey: string;
  openaiApiKey: string;
  openaiBaseUrl: string;
  githubToken: string;
  comment: boolean;
  cache: boolean;
  /** false: use only programs restored from the cache; a step without one falls back (dspy_unavailable). */
  compile: boolean;
  cacheKeyPrefix: string;
  cacheDir: string;
  /** Where a default-branch run writes its program files for the promotion PR; empty for none. */
  programsDir: string;
  cassetteDir: string;
  redisUrl: string;
  budgetUsd: number | null;
  concurrency: number;
  failOn: FailOn;
  shard: Shard;
  reportPath: string;
  /** Report-only use: paths (globs) of report JSON files to publish instead of running. */
  report: string[];
  /** Pull request to comment on in report-only use; null → taken from the event. */
  pullRequest: number | null;
  /** A link to the uploaded report JSON (e.g. actions/upload-artifact's `artifact-url`), shown in the comment; "" for none. */
  reportUrl: string;
}

/** Reads one input as the runner passes it (`INPUT_<NAME>`); "" when unset. */
export type InputReader = (name: string) => string;

export type InputsOutcome =
  { kind: "ok"; inputs: ActionInputs } | { kind: "invalid"; problems: string[] };

const failOns = ["error", "regression", "never"] as const;

function oneOf<const T extends readonly string[]>(
  name: string,
  value: string,
  allowed: T,
  problems: string[],
): T[number] | undefined {
  if (isOneOf(allowed, value)) return value;
  problems.push(`input '${name}' is '${value}': use one of ${allowed.join(", ")}`);
  return undefined;
}

/** YAML 1.2 core-schema booleans, as `core.getBooleanInput` accepts them. */
function bool(name: string, value: string, fallback: boolean, problems: string[]): boolean {
  if (value === "") return fallback;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  problems.push(`input '${name}' is '${value}': use true or false`);
  return fallback;
}

/** Parses `i/n` (1 ≤ i ≤ n), e.g. `${{ matrix.shard }}/3`. */
export function parseShard(value: string): Shard | string {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    return `input 'shard' is '${value}': write i/n with 1 ≤ i ≤ n, e.g. 2/4`;
  }
  return { index, count };
}

function list(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== "" && !s.startsWith("#"));
}

/** Reads and validates every input, collecting all problems rather than stopping at the first. */
export function parseInputs(read: InputReader): InputsOutcome {
  const problems: string[] = [];
  const text = (name: string, fallback = ""): string => read(name).trim() || fallback;
  const modeText = text("mode");
  const mode =
    modeText === "" || modeText === "auto"
      ? null
      : (oneOf("mode", modeText, executionModeValues, problems) ?? null);
  const provider = oneOf("provider", text("provider", "auto"), providerChoices, problems) ?? "auto";
  const failOn = oneOf("fail-on", text("fail-on", "error"), failOns, problems) ?? "error";
  const budgetText = text("budget-usd");
  const budgetUsd = budgetText === "" ? null : Number(budgetText);
  if (budgetUsd !== null && !(Number.isFinite(budgetUsd) && budgetUsd >= 0)) {
    problems.push(
      `input 'budget-usd' is '${budgetText}': write a non-negative number of dollars, e.g. 2.50`,
    );
  }
  const concurrencyText = text("concurrency", "4");
  const concurrency = Number(concurrencyText);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    problems.push(`input 'concurrency' is '${concurrencyText}': write a whole number ≥ 1`);
  }
  const shard = parseShard(text("shard", "1/1"));
  if (typeof shard === "string") problems.push(shard);
  const prText = text("pull-request");
  const pullRequest = prText === "" ? null : Number(prText);
  if (pullRequest !== null && !(Number.isInteger(pullRequest) && pullRequest > 0)) {
    problems.push(`input 'pull-request' is '${prText}': write the pull request number, e.g. 42`);
  }
  const reportUrl = text("report-url");
  if (reportUrl !== "" && !/^https:\/\/[^\s()<>]+$/.test(reportUrl)) {
    problems.push(
      `input 'report-url' is '${reportUrl}': write an https URL, e.g. the artifact-url output of actions/upload-artifact`,
    );
  }
  const workflows = list(read("workflows"));
  const report = list(read("report"));
  if (workflows.length === 0 && report.length === 0) {
    problems.push(
      "input 'workflows' is empty: list glob patterns of pipeline files, e.g. pipelines/**/*.yaml",
    );
  }
  const comment = bool("comment", text("comment"), true, problems);
  const cache = bool("cache", text("cache"), true, problems);
  const compile = bool("compile", text("compile"), true, problems);
  if (problems.length > 0) return { kind: "invalid", problems };
  return {
    kind: "ok",
    inputs: {
      workflows,
      mode,
      provider,
      anthropicApiKey: text("anthropic-api-key"),
      geminiApiKey: text("gemini-api-key"),
      openaiApiKey: text("openai-api-key"),
      openaiBaseUrl: text("openai-base-url"),
      githubToken: text("github-token"),
      comment,
      cache,
      compile,
      cacheKeyPrefix: text("cache-key-prefix", "hybrid-pipeline"),
      cacheDir: text("cache-dir", ".hybrid-pipeline/cache"),
      programsDir: text("programs-dir", "hybrid-pipeline-programs"),
      cassetteDir: text("cassette-dir", ".hybrid-pipeline/cassettes"),
      redisUrl: text("redis-url"),
      budgetUsd,
      concurrency,
      failOn,
      shard: shard as Shard,
      reportPath: text("report-path", "hybrid-pipeline-report.json"),
      report,
      pullRequest,
      reportUrl,
    },
  };
}

/** Provider keys a workflow may pass as environment variables instead of inputs. */
const secretEnv = ["ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY", "OPENAI_API_KEY"];

/** Secrets among the inputs and the environment, to mask in logs and redact from everything published. */
export function secretsOf(inputs: ActionInputs, env: NodeJS.ProcessEnv): string[] {
  const password = /^[a-z]+:\/\/[^:@/]*:([^@/]+)@/i.exec(inputs.redisUrl)?.[1];
  const fromEnv = secretEnv.map((name) => env[name] ?? "");
  return [
    inputs.anthropicApiKey,
    inputs.geminiApiKey,
    inputs.openaiApiKey,
    inputs.githubToken,
    password ?? "",
    ...fromEnv,
  ].filter((s) => s !== "");
}
