import type Anthropic from "@anthropic-ai/sdk";
import { toProviderError, type FailureFacts } from "./classify-error.js";
import type { LanguageModel, LmRequest, LmResponse } from "./language-model.js";
import { attemptLoggingFetch, logAttempts } from "./attempt-log.js";
import { computeCostUsd } from "./pricing.js";
import { connectOnFirstCall, remoteModelSettings, type RemoteModelOptions, type RemoteModelSettings } from "./remote-model-options.js";

interface Connection {
  sdk: typeof Anthropic;
  client: Anthropic;
}

/**
 * Claude through the Messages API (`@anthropic-ai/sdk`). The SDK retries 408/409/429/5xx (529
 * `overloaded_error` included) and connection failures, waiting `retry-after-ms`/`retry-after`
 * when the server sends them; 400/401/403 are never retried. `temperature` is not sent: the
 * Messages API of SDK 1.14 no longer takes it (it only decides LM-call cache eligibility here).
 * The SDK is imported on the first call.
 */
export class AnthropicModel implements LanguageModel {
  readonly provider = "anthropic";
  readonly simulated = false;
  readonly #settings: RemoteModelSettings;
  readonly #connect: () => Promise<Connection>;

  constructor(options: RemoteModelOptions) {
    this.#settings = remoteModelSettings(options);
    this.#connect = connectOnFirstCall(() => connect(this.#settings));
  }

  /** One call; its failed attempts (retried by the SDK) come back as `faults` or on the error. */
  complete(request: LmRequest, signal?: AbortSignal): Promise<LmResponse> {
    return logAttempts(() => this.#completeOnce(request, signal));
  }

  async #completeOnce(request: LmRequest, signal?: AbortSignal): Promise<LmResponse> {
    const { sdk, client } = await this.#connect();
    const started = this.#settings.now();
    let message: Anthropic.Message;
    try {
      message = await client.messages.create(
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
      throw toProviderError("anthropic", failureFacts(sdk, error), { secrets: [this.#settings.apiKey], keyEnv: "ANTHROPIC_API_KEY" });
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
      latencyMs: Math.round(this.#settings.now() - started),
      model: message.model,
      costUsd: computeCostUsd(message.model, usage, this.#settings.warn),
    };
  }
}

async function connect(settings: RemoteModelSettings): Promise<Connection> {
  const { default: Sdk } = await import("@anthropic-ai/sdk");
  const client = new Sdk({
    apiKey: settings.apiKey,
    baseURL: settings.baseUrl ?? null,
    maxRetries: settings.maxRetries,
    timeout: settings.timeoutMs,
    logLevel: "off",
    fetch: attemptLoggingFetch(),
  });
  return { sdk: Sdk, client };
}

function failureFacts(sdk: typeof Anthropic, error: unknown): FailureFacts {
  if (error instanceof sdk.APIConnectionTimeoutError) return { timedOut: true, detail: "no response within the timeout" };
  if (error instanceof sdk.APIError) {
    return { status: error.status, errorType: error.type ?? undefined, detail: error.apiMessage ?? error.message };
  }
  return { detail: error instanceof Error ? error.message : String(error) };
}
