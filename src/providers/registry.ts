import { AnthropicModel } from "./anthropic-model.js";
import { GeminiModel } from "./gemini-model.js";
import { ProviderError, type LanguageModel, type ProviderName } from "./language-model.js";
import { OpenAiModel } from "./openai-model.js";
import type { RemoteModelOptions } from "./remote-model-options.js";
import { createRecordingModel, ReplayModel } from "./replay-model.js";
import { SimModel, type SimModelOptions } from "./sim-model.js";

export interface CreateLanguageModelOptions {
  /** `auto`: anthropic if ANTHROPIC_API_KEY, gemini if GEMINI_API_KEY/GOOGLE_API_KEY, openai if OPENAI_API_KEY, else sim. */
  provider: ProviderName | "auto";
  /** Keys and base URLs are read from here, never from process.env directly. */
  env: NodeJS.ProcessEnv;
  /** Record every real response into this cassette directory (`--record DIR`). @default no recording */
  record?: string;
  /** Cassette directory the `replay` provider reads. Required for `replay`. */
  cassetteDir?: string;
  /** Retries after the first attempt (SDK retries). @default 2 */
  maxRetries?: number;
  /** Per-attempt timeout in milliseconds. @default 60000 */
  timeoutMs?: number;
  /** Options of the `sim` provider. @default {} */
  sim?: SimModelOptions;
  /** Where warnings go (unpriced models). @default no output */
  warn?: (message: string) => void;
}

interface Remote {
  keyEnv: string[];
  baseUrlEnv: string[];
  create: (o: RemoteModelOptions) => LanguageModel;
}

const remote: Record<"anthropic" | "gemini" | "openai", Remote> = {
  anthropic: {
    keyEnv: ["ANTHROPIC_API_KEY"],
    baseUrlEnv: ["ANTHROPIC_BASE_URL"],
    create: (o) => new AnthropicModel(o),
  },
  // Like the SDK, GOOGLE_API_KEY wins when both are set.
  gemini: {
    keyEnv: ["GOOGLE_API_KEY", "GEMINI_API_KEY"],
    baseUrlEnv: ["GOOGLE_GEMINI_BASE_URL"],
    create: (o) => new GeminiModel(o),
  },
  openai: {
    keyEnv: ["OPENAI_API_KEY"],
    baseUrlEnv: ["OPENAI_BASE_URL"],
    create: (o) => new OpenAiModel(o),
  },
};

const firstSet = (env: NodeJS.ProcessEnv, names: string[]): string | undefined =>
  names.map((n) => env[n]).find((v) => !!v);

const factories: Record<ProviderName, (o: CreateLanguageModelOptions) => LanguageModel> = {
  anthropic: (o) => createRemote("anthropic", o),
  gemini: (o) => createRemote("gemini", o),
  openai: (o) => createRemote("openai", o),
  sim: (o) => new SimModel({ ...o.sim, ...(o.warn ? { warn: o.warn } : {}) }),
  replay: (o) => {
    if (!o.cassetteDir)
      throw new ProviderError(
        "not_configured",
        "replay needs a cassette directory (--cassette-dir DIR)",
        "replay",
      );
    return new ReplayModel(o.cassetteDir);
  },
};

function createRemote(name: keyof typeof remote, o: CreateLanguageModelOptions): LanguageModel {
  const spec = remote[name];
  const apiKey = firstSet(o.env, spec.keyEnv);
  if (!apiKey) {
    throw new ProviderError(
      "not_configured",
      `${name} needs an API key: set ${spec.keyEnv.join(" or ")}, or use --provider sim`,
      name,
    );
  }
  const baseUrl = firstSet(o.env, spec.baseUrlEnv);
  return spec.create({
    apiKey,
    ...(baseUrl ? { baseUrl } : {}),
    ...(o.maxRetries !== undefined ? { maxRetries: o.maxRetries } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.warn ? { warn: o.warn } : {}),
  });
}

/** Which provider `auto` means for this environment (the first with a key, else `sim`). */
export function resolveProviderName(
  provider: ProviderName | "auto",
  env: NodeJS.ProcessEnv,
): ProviderName {
  if (provider !== "auto") return provider;
  const withKey = (["anthropic", "gemini", "openai"] as const).find((name) =>
    firstSet(env, remote[name].keyEnv),
  );
  return withKey ?? "sim";
}

/**
 * Other credentials a run may see in its environment: GitHub tokens (Actions, `gh`), the Actions
 * runtime's own tokens, and the Probot app's secrets.
 */
const SECRET_ENV = [
  "GITHUB_TOKEN",
  "GH_TOKEN",
  "GH_ENTERPRISE_TOKEN",
  "ACTIONS_RUNTIME_TOKEN",
  "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
  "WEBHOOK_SECRET",
  "PRIVATE_KEY",
];

/** Names more secret variables, comma- or space-separated (`HYBRID_PIPELINE_SECRET_ENV=DB_PASS,SVC_KEY`). */
export const SECRET_ENV_LIST = "HYBRID_PIPELINE_SECRET_ENV";

/**
 * Every secret value present in `env`, whatever its shape (redaction also catches token-shaped text
 * on its own; these are the values it must know): the provider keys, {@link SECRET_ENV}, and the
 * variables named in `HYBRID_PIPELINE_SECRET_ENV`. For scrubbing output and keeping caches clean.
 */
export function providerSecrets(env: NodeJS.ProcessEnv): string[] {
  const configured = (env[SECRET_ENV_LIST] ?? "").split(/[\s,]+/).filter((n) => n !== "");
  const names = [...Object.values(remote).flatMap((r) => r.keyEnv), ...SECRET_ENV, ...configured];
  return [...new Set(names.flatMap((n) => (env[n] ? [env[n]] : [])))];
}

/**
 * Builds the configured model; with `record`, every response is also written as a cassette.
 * Throws ProviderError `not_configured` when the chosen provider lacks its key or cassette directory.
 */
export function createLanguageModel(options: CreateLanguageModelOptions): LanguageModel {
  const model = factories[resolveProviderName(options.provider, options.env)](options);
  return options.record
    ? createRecordingModel(model, options.record, providerSecrets(options.env))
    : model;
}
