import { AnthropicModel } from "./anthropic-model.js";
import { GeminiModel } from "./gemini-model.js";
import { ProviderError, type LanguageModel, type ProviderName } from "./language-model.js";
import { OpenAiModel } from "./openai-model.js";
import type { RemoteModelOptions } from "./remote-model-options.js";
import { chooseProvider, type ProviderChoice } from "./choose-provider.js";
import {
  credentialsOf,
  missingKeyError,
  providerSecrets,
  type RemoteProviderName,
} from "./provider-keys.js";
import { createRecordingModel, ReplayModel } from "./replay-model.js";
import { SimModel, type SimModelOptions } from "./sim-model.js";

export interface CreateLanguageModelOptions {
  /** `auto`: anthropic if ANTHROPIC_API_KEY, gemini if GEMINI_API_KEY/GOOGLE_API_KEY, openai if OPENAI_API_KEY, else sim. */
  provider: ProviderChoice;
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

const remote: Record<RemoteProviderName, (o: RemoteModelOptions) => LanguageModel> = {
  anthropic: (o) => new AnthropicModel(o),
  gemini: (o) => new GeminiModel(o),
  openai: (o) => new OpenAiModel(o),
};

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

function createRemote(name: RemoteProviderName, o: CreateLanguageModelOptions): LanguageModel {
  const { apiKey, baseUrl, usable } = credentialsOf(name, o.env);
  if (!usable) throw missingKeyError(name);
  return remote[name]({
    // An OpenAI-compatible server without keys still needs a non-empty key for the SDK.
    apiKey: apiKey ?? "unused",
    ...(baseUrl ? { baseUrl } : {}),
    ...(o.maxRetries !== undefined ? { maxRetries: o.maxRetries } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.warn ? { warn: o.warn } : {}),
  });
}

/** Which provider `auto` means for this environment (the first with a key, else `sim`); a named one is kept. */
export function resolveProviderName(
  provider: ProviderChoice,
  env: NodeJS.ProcessEnv,
  cassetteDir?: string,
): ProviderName {
  return provider === "auto"
    ? chooseProvider("auto", env, cassetteDir ? { cassetteDir } : {}).provider
    : provider;
}

/**
 * Builds the configured model; with `record`, every response is also written as a cassette.
 * Throws ProviderError `not_configured` when the chosen provider lacks its key or cassette directory.
 */
export function createLanguageModel(options: CreateLanguageModelOptions): LanguageModel {
  const model =
    factories[resolveProviderName(options.provider, options.env, options.cassetteDir)](options);
  return options.record
    ? createRecordingModel(model, options.record, providerSecrets(options.env))
    : model;
}
