import Anthropic from "@anthropic-ai/sdk";
import { toProviderError, type FailureFacts } from "./classify-error.js";
import type { LanguageModel, LmRequest, LmResponse } from "./language-model.js";
import { computeCostUsd } from "./pricing.js";
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, warnOnce, type RemoteModelOptions } from "./remote-model-options.js";

/**
 * Claude through the Messages API (`@anthropic-ai/sdk`). The SDK retries 408/409/429/5xx (529
 * `overloaded_error` included) and connection failures, waiting `retry-after-ms`/`retry-after`
 * when the server sends them; 400/401/403 are never retried. `temperature` is not sent: the
 * Messages API of SDK 1.14 no longer takes it (it only decides LM-call cache eligibility here).
 */
export class AnthropicModel implements LanguageModel {
  readonly provider = "anthropic";
  readonly simulated = false;
  readonly #client: Anthropic;
  readonly #apiKey: string;
  readonly #warn: (message: string) => void;
  readonly #now: () => number;

  constructor(options: RemoteModelOptions) {
    this.#apiKey = options.apiKey;
    this.#warn = warnOnce(options.warn);
    this.#now = options.now ?? (() => performance.now());
    this.#client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseUrl ?? null,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      logLevel: "off",
    });
  }

  async complete(request: LmRequest, signal?: AbortSignal): Promise<LmResponse> {
    const started = this.#now();
    let message: Anthropic.Message;
    try {
      message = await this.#client.messages.create(
        {
          model: request.model,
          max_tokens: request.maxTokens,
          ...(request.system ? { system: request.system } : {}),
          messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
        },
        { signal },
      );
    } catch (error) {
      if (signal?.aborted) throw error;
      throw toProviderError("anthropic", failureFacts(error), { secrets: [this.#apiKey], keyEnv: "ANTHROPIC_API_KEY" });
    }
    const text = message.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("");
    const cached = message.usage.cache_read_input_tokens ?? 0;
    const written = message.usage.cache_creation_input_tokens ?? 0;
    // Anthropic's `input_tokens` excludes cache reads and writes; our `inputTokens` counts the whole prompt.
    const usage = {
      inputTokens: message.usage.input_tokens + cached + written,
      outputTokens: message.usage.output_tokens,
      cachedInputTokens: cached,
      cacheWriteInputTokens: written,
    };
    return {
      text,
      usage,
      latencyMs: Math.round(this.#now() - started),
      model: message.model,
      costUsd: computeCostUsd(message.model, usage, this.#warn),
    };
  }
}

function failureFacts(error: unknown): FailureFacts {
  if (error instanceof Anthropic.APIConnectionTimeoutError) return { timedOut: true, detail: "no response within the timeout" };
  if (error instanceof Anthropic.APIError) {
    return { status: error.status, errorType: error.type ?? undefined, detail: error.apiMessage ?? error.message };
  }
  return { detail: error instanceof Error ? error.message : String(error) };
}
