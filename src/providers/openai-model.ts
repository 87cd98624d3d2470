import OpenAI from "openai";
import { toProviderError, type FailureFacts } from "./classify-error.js";
import type { LanguageModel, LmRequest, LmResponse } from "./language-model.js";
import { computeCostUsd } from "./pricing.js";
import { quotaAwareFetch } from "./quota-aware-fetch.js";
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, warnOnce, type RemoteModelOptions } from "./remote-model-options.js";

/** OpenAI's reasoning models take `max_completion_tokens` and only the default temperature. */
const REASONING_MODEL = /^(?:o\d|gpt-5)/;

/**
 * Chat Completions through `openai`; with `baseUrl` (OPENAI_BASE_URL) it reaches any
 * OpenAI-compatible server (Ollama, vLLM, llama.cpp). The SDK retries 408/409/429/5xx and
 * connection failures, honouring `retry-after-ms`/`retry-after`; an `insufficient_quota` 429 and
 * 401/403 are not retried.
 */
export class OpenAiModel implements LanguageModel {
  readonly provider = "openai";
  readonly simulated = false;
  readonly #client: OpenAI;
  readonly #apiKey: string;
  readonly #warn: (message: string) => void;
  readonly #now: () => number;

  constructor(options: RemoteModelOptions) {
    this.#apiKey = options.apiKey;
    this.#warn = warnOnce(options.warn);
    this.#now = options.now ?? (() => performance.now());
    this.#client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseUrl ?? null,
      organization: null,
      project: null,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      logLevel: "off",
      fetch: quotaAwareFetch(),
    });
  }

  async complete(request: LmRequest, signal?: AbortSignal): Promise<LmResponse> {
    const started = this.#now();
    const reasoning = REASONING_MODEL.test(request.model);
    let completion: OpenAI.Chat.ChatCompletion;
    try {
      completion = await this.#client.chat.completions.create(
        {
          model: request.model,
          messages: [
            ...(request.system ? [{ role: "system" as const, content: request.system }] : []),
            ...request.messages.map((m) => ({ role: m.role, content: m.content })),
          ],
          ...(reasoning
            ? { max_completion_tokens: request.maxTokens }
            : { max_tokens: request.maxTokens, temperature: request.temperature ?? 0 }),
        },
        { signal },
      );
    } catch (error) {
      if (signal?.aborted) throw error;
      throw toProviderError("openai", failureFacts(error), { secrets: [this.#apiKey], keyEnv: "OPENAI_API_KEY" });
    }
    const usage = {
      inputTokens: completion.usage?.prompt_tokens ?? 0,
      outputTokens: completion.usage?.completion_tokens ?? 0,
      cachedInputTokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0,
    };
    return {
      text: completion.choices[0]?.message.content ?? "",
      usage,
      latencyMs: Math.round(this.#now() - started),
      model: completion.model,
      costUsd: computeCostUsd(completion.model, usage, this.#warn),
    };
  }
}

function failureFacts(error: unknown): FailureFacts {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return { timedOut: true, detail: "no response within the timeout" };
  if (error instanceof OpenAI.APIError) {
    return { status: error.status, errorType: error.code ?? error.type ?? undefined, detail: error.message };
  }
  return { detail: error instanceof Error ? error.message : String(error) };
}
