import { ProviderError } from "./language-model.js";

/** The SDK-backed providers, whose credentials come from the environment. */
export type RemoteProviderName = "anthropic" | "gemini" | "openai";

interface KeySpec {
  keyEnv: string[];
  baseUrlEnv: string[];
  /** An OpenAI-compatible server (Ollama, vLLM, llama.cpp) may need no key once its base URL is set. */
  keyOptionalWithBaseUrl: boolean;
}

/** Where each provider's key and base URL are read, first set wins (like the SDKs, GOOGLE_API_KEY before GEMINI_API_KEY). */
const keySpecs: Record<RemoteProviderName, KeySpec> = {
  anthropic: {
    keyEnv: ["ANTHROPIC_API_KEY"],
    baseUrlEnv: ["ANTHROPIC_BASE_URL"],
    keyOptionalWithBaseUrl: false,
  },
  gemini: {
    keyEnv: ["GOOGLE_API_KEY", "GEMINI_API_KEY"],
    baseUrlEnv: ["GOOGLE_GEMINI_BASE_URL"],
    keyOptionalWithBaseUrl: false,
  },
  openai: {
    keyEnv: ["OPENAI_API_KEY"],
    baseUrlEnv: ["OPENAI_BASE_URL"],
    keyOptionalWithBaseUrl: true,
  },
};

/** The remote providers in the order `auto` tries them. */
export const remoteProviders: readonly RemoteProviderName[] = ["anthropic", "gemini", "openai"];

const firstSet = (env: NodeJS.ProcessEnv, names: string[]): string | undefined =>
  names.map((n) => env[n]).find((v) => !!v);

/** A remote provider's key and base URL as `env` sets them; `usable` when it can be called. */
export function credentialsOf(
  name: RemoteProviderName,
  env: NodeJS.ProcessEnv,
): { apiKey?: string; baseUrl?: string; usable: boolean } {
  const spec = keySpecs[name];
  const apiKey = firstSet(env, spec.keyEnv);
  const baseUrl = firstSet(env, spec.baseUrlEnv);
  return {
    ...(apiKey ? { apiKey } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    usable: !!apiKey || (spec.keyOptionalWithBaseUrl && !!baseUrl),
  };
}

/** Every provider secret present in `env`, for scrubbing output. */
export function providerSecrets(env: NodeJS.ProcessEnv): string[] {
  return Object.values(keySpecs).flatMap((s) => s.keyEnv.flatMap((n) => (env[n] ? [env[n]] : [])));
}

/** The `not_configured` error of a remote provider without usable credentials, naming the variables to set. */
export function missingKeyError(name: RemoteProviderName): ProviderError {
  return new ProviderError(
    "not_configured",
    `${name} needs an API key: set ${keySpecs[name].keyEnv.join(" or ")}, or use --provider sim`,
    name,
  );
}
