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
  const names = [...Object.values(keySpecs).flatMap((s) => s.keyEnv), ...SECRET_ENV, ...configured];
  return [...new Set(names.flatMap((n) => (env[n] ? [env[n]] : [])))];
}

/** The `not_configured` error of a remote provider without usable credentials, naming the variables to set. */
export function missingKeyError(name: RemoteProviderName): ProviderError {
  return new ProviderError(
    "not_configured",
    `${name} needs an API key: set ${keySpecs[name].keyEnv.join(" or ")}, or use --provider sim`,
    name,
  );
}
