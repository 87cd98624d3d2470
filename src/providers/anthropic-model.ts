import type Anthropic from "@anthropic-ai/sdk";
import { toProviderError, type FailureFacts } from "./classify-error.js";
import type { LmRequest, LmResponse } from "./language-model.js";
import { attemptLoggingFetch } from "./attempt-log.js";
import { computeCostUsd } from "./pricing.js";
import type { RemoteModelOptions, RemoteModelSettings } from "./remote-model-options.js";
import { SdkModel } from "./sdk-model.js";
import { answerCheckingFetch, field } from "./answer-check-fetch.js";

interface Connection {
  sdk: typeof Anthropic;
  client: Anthropic;
}

/**
 * Claude through the Messages API (`@anthropic-ai/sdk`). The SDK retries 408/409/429/5xx (529
 * `overloaded_error` included) and connection failures, waiting `retry-after-ms`/`retry-after`
 * when the server sends them; 400/401/403 are never retried. `temperature` is not sent: the
 * Messages API of SDK 1.14 no longer takes it (it only decides LM-call cache eligibility here), so
 * repeated samples come from `rolloutId`, which keeps a call out of every cache (docs/providers.md).
 * `request.timeoutMs` is each attempt's timeout. The SDK is imported on the first call.
 */
export class AnthropicModel extends SdkModel<Connection> {
  readonly provider = "anthropic";

  constructor(options: RemoteModelOptions) {
    super(options, connect);
  }

  protected async send(
    { sdk, client }: Connection,
    request: LmRequest,
    signal?: AbortSignal,
  ): Promise<LmResponse> {
    const started = this.settings.now();
    let message: Anthropic.Message;
    try {
      message = await client.messages.create(
        {
          model: request.model,
          max_tokens: request.maxTokens,
          ...(request.system ? { system: request.system } : {}),
          messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
        },
        { signal, ...(request.timeoutMs !== undefined ? { timeout: request.timeoutMs } : {}) },
      );
    } catch (error) {
      if (signal?.aborted) throw error;
      throw toProviderError("anthropic", failureFacts(sdk, error), {
        secrets: [this.settings.apiKey],
        keyEnv: "ANTHROPIC_API_KEY",
      });
    }
    const text = message.content
      .flatMap((block) => (block.type === "text" ? [block.text] : []))
      .join("");
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
      latencyMs: Math.round(this.settings.now() - started),
      model: message.model,
      costUsd: computeCostUsd(message.model, usage, this.settings.warn),
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
    fetch: attemptLoggingFetch(answerCheckingFetch(isEmptyAnswer)),
  });
  return { sdk: Sdk, client };
}

/** A message with no non-empty text block. */
function isEmptyAnswer(body: unknown): boolean {
  const content = field(body, "content");
  if (!Array.isArray(content)) return true;
  return !content.some((block) => {
    const text = field(block, "text");
    return field(block, "type") === "text" && typeof text === "string" && text !== "";
  });
}

function failureFacts(sdk: typeof Anthropic, error: unknown): FailureFacts {
  if (error instanceof sdk.APIConnectionTimeoutError)
    return { timedOut: true, detail: "no response within the timeout" };
  if (error instanceof sdk.APIError) {
    return {
      status: error.status,
      errorType: error.type ?? undefined,
      detail: error.apiMessage ?? error.message,
    };
  }
  return { detail: error instanceof Error ? error.message : String(error) };
}
