import { createHash } from "node:crypto";
import type { LanguageModel, LmRequest, LmResponse, ProviderName } from "./language-model.js";

/** Where cached LM responses live; the engine backs it with the tiered cache. */
export interface LmCallStore {
  get(key: string): Promise<unknown | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

/** Why a call was sent but not stored: it holds a secret, or its answer was empty. */
export type UncacheableReason = "secret" | "empty_answer";

export type LmCacheEvent =
  | { kind: "hit"; key: string; request: LmRequest }
  | { kind: "miss"; key: string; request: LmRequest }
  | { kind: "shared"; key: string; request: LmRequest }
  | { kind: "uncacheable"; key: string; request: LmRequest; reason: UncacheableReason };

/** Options of {@link withLmCallCache}. */
export interface LmCallCacheOptions {
  /**
   * Known secret values (API keys, GITHUB_TOKEN, ...): a request or answer holding one is sent but
   * never stored in any tier.
   * @default []
   */
  secrets?: readonly string[];
}

/** JSON with object keys sorted at every level, so equal requests serialise equally. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${sortedJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The LM-call cache key: SHA-256 (hex) of the sorted JSON of provider kind, endpoint (base URL, when
 * not the provider's own), model, system, messages, max tokens and temperature, as DSPy keys its
 * cache (dspy/clients/cache.py: sorted JSON, no api keys). Unlike DSPy we keep the base URL: two
 * OpenAI-compatible servers serving the same model id give different answers. A `rolloutId` is in
 * it too (the LM-call cache never stores rollouts, but cassettes record each one apart). `purpose`,
 * `step` and `timeoutMs` are left out: they do not change the answer.
 */
export function lmRequestKey(
  request: LmRequest,
  provider: ProviderName,
  endpoint?: string,
): string {
  const { model, system, messages, maxTokens } = request;
  const payload = {
    provider,
    endpoint,
    model,
    system,
    messages: messages.map((m) => ({ role: m.role, content: m.content })),
    maxTokens,
    temperature: request.temperature ?? 0,
    // Absent for ordinary calls (so their keys are unchanged); keeps rollouts apart in cassettes.
    rolloutId: request.rolloutId,
  };
  return createHash("sha256").update(sortedJson(payload)).digest("hex");
}

/** A cached value is used only if it still looks like a response (the store may hold anything). */
function asResponse(value: unknown): LmResponse | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Partial<LmResponse>;
  const usage = v.usage;
  const ok =
    typeof v.text === "string" &&
    typeof v.model === "string" &&
    typeof usage === "object" &&
    usage !== null &&
    typeof usage.inputTokens === "number" &&
    typeof usage.outputTokens === "number" &&
    typeof usage.cachedInputTokens === "number";
  return ok ? (v as LmResponse) : undefined;
}

/** Shorter values are not treated as secrets, as in `redact()` (report/redact.ts). */
const MIN_SECRET_LENGTH = 4;

/** True when `text` holds one of the known secret values. */
function holdsSecret(text: string, secrets: readonly string[]): boolean {
  return secrets.some((s) => s.length >= MIN_SECRET_LENGTH && text.includes(s));
}

function requestText(request: LmRequest): string {
  return [request.system ?? "", ...request.messages.map((m) => m.content)].join("\n");
}

/**
 * Wraps a model so that an identical request at temperature 0 (or unset) is sent at most once:
 * later ones are served from `store` (`fromCache: true`, latency 0, cost 0), and identical
 * requests in flight at the same time share one call. Never stored: errors, an empty answer, a
 * request with a `rolloutId` (a distinct rollout always reaches the provider), and a request or
 * answer holding a secret (`options.secrets`; event `uncacheable`), so replays stay exact.
 */
export function withLmCallCache(
  lm: LanguageModel,
  store: LmCallStore,
  onEvent?: (event: LmCacheEvent) => void,
  options: LmCallCacheOptions = {},
): LanguageModel {
  const secrets = options.secrets ?? [];
  const inFlight = new Map<string, Promise<LmResponse>>();
  const served = (r: LmResponse): LmResponse => ({
    ...r,
    fromCache: true,
    latencyMs: 0,
    costUsd: 0,
    uncached: r.uncached ?? { latencyMs: r.latencyMs, costUsd: r.costUsd },
  });
  return {
    provider: lm.provider,
    simulated: lm.simulated,
    ...(lm.endpoint !== undefined ? { endpoint: lm.endpoint } : {}),
    async complete(request, signal) {
      if ((request.temperature ?? 0) !== 0 || request.rolloutId !== undefined)
        return lm.complete(request, signal);
      const key = lmRequestKey(request, lm.provider, lm.endpoint);
      if (secrets.length > 0 && holdsSecret(requestText(request), secrets)) {
        onEvent?.({ kind: "uncacheable", key, request, reason: "secret" });
        return lm.complete(request, signal);
      }
      const pending = inFlight.get(key);
      if (pending) {
        onEvent?.({ kind: "shared", key, request });
        return served(await pending);
      }
      const call = (async () => {
        const cached = asResponse(await store.get(key).catch(() => undefined));
        if (cached) {
          onEvent?.({ kind: "hit", key, request });
          return served(cached);
        }
        onEvent?.({ kind: "miss", key, request });
        const response = await lm.complete(request, signal);
        const { text, usage, latencyMs, model, costUsd } = response;
        const unstorable: UncacheableReason | undefined =
          text.trim() === "" ? "empty_answer" : holdsSecret(text, secrets) ? "secret" : undefined;
        if (unstorable) onEvent?.({ kind: "uncacheable", key, request, reason: unstorable });
        else
          await store.set(key, { text, usage, latencyMs, model, costUsd }).catch(() => undefined);
        return response;
      })();
      inFlight.set(key, call);
      try {
        return await call;
      } finally {
        inFlight.delete(key);
      }
    },
  };
}

/** An in-memory {@link LmCallStore} for one run (the engine may use the tiered cache instead). */
export function createMemoryLmCallStore(): LmCallStore {
  const entries = new Map<string, unknown>();
  return {
    get: async (key) => entries.get(key),
    set: async (key, value) => void entries.set(key, value),
  };
}
