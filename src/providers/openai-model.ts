import type OpenAI from "openai";
import { toProviderError, type FailureFacts } from "./classify-error.js";
import type { LmRequest, LmResponse } from "./language-model.js";
import { attemptLoggingFetch } from "./attempt-log.js";
import { computeCostUsd } from "./pricing.js";
import { quotaAwareFetch } from "./quota-aware-fetch.js";
import { answerCheckingFetch, field } from "./answer-check-fetch.js";
import type { RemoteModelOptions, RemoteModelSettings } from "./remote-model-options.js";
import { SdkModel } from "./sdk-model.js";

/** OpenAI's reasoning models take `max_completion_tokens` and only the default temperature. */
const REASONING_MODEL = /^(?:o\d|gpt-5)/;

interface Connection {
  sdk: typeof OpenAI;
  client: OpenAI;
}

/**
 * Chat Completions through `openai`; with `baseUrl` (OPENAI_BASE_URL) it reaches any
 * OpenAI-compatible server (Ollama, vLLM, llama.cpp). The SDK retries 408/409/429/5xx and
 * connection failures, honouring `retry-after-ms`/`retry-after`; an `insufficient_quota` 429 and
 * 401/403 are not retried. The SDK is imported on the first call.
 */
export class OpenAiModel extends SdkModel<Connection> {
  readonly provider = "openai";

  constructor(options: RemoteModelOptions) {
    super(options, connect);
  }

  protected async send(
    { sdk, client }: Connection,
    request: LmRequest,
    signal?: AbortSignal,
  ): Promise<LmResponse> {
    const started = this.settings.now();
    const reasoning = REASONING_MODEL.test(request.model);
    let completion: OpenAI.Chat.ChatCompletion;
    try {
      completion = await client.chat.completions.create(
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
        { signal, ...(request.timeoutMs !== undefined ? { timeout: request.timeoutMs } : {}) },
      );
    } catch (error) {
      if (signal?.aborted) throw error;
      throw toProviderError("openai", failureFacts(sdk, error), {
        secrets: [this.settings.apiKey],
        keyEnv: "OPENAI_API_KEY",
      });
    }
    const usage = {
      inputTokens: completion.usage?.prompt_tokens ?? 0,
      outputTokens: completion.usage?.completion_tokens ?? 0,
      cachedInputTokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0,
    };
    return {
      text: completion.choices[0]?.message.content ?? "",
      usage,
      latencyMs: Math.round(this.settings.now() - started),
      model: completion.model,
      costUsd: computeCostUsd(completion.model, usage, this.settings.warn),
    };
  }
}

async function connect(settings: RemoteModelSettings): Promise<Connection> {
  const { default: Sdk } = await import("openai");
  const client = new Sdk({
    apiKey: settings.apiKey,
    baseURL: settings.baseUrl ?? null,
    organization: null,
    project: null,
    maxRetries: settings.maxRetries,
    timeout: settings.timeoutMs,
    logLevel: "off",
    fetch: quotaAwareFetch(attemptLoggingFetch(answerCheckingFetch(isEmptyAnswer))),
  });
  return { sdk: Sdk, client };
}

/** A chat completion whose first choice has neither text nor a tool call. */
function isEmptyAnswer(body: unknown): boolean {
  const choice: unknown = (field(body, "choices") as unknown[] | undefined)?.[0];
  const message = field(choice, "message");
  const content = field(message, "content");
  const tools = field(message, "tool_calls");
  return (
    (typeof content !== "string" || content === "") && !(Array.isArray(tools) && tools.length > 0)
  );
}

function failureFacts(sdk: typeof OpenAI, error: unknown): FailureFacts {
  if (error instanceof sdk.APIConnectionTimeoutError)
    return { timedOut: true, detail: "no response within the timeout" };
  if (error instanceof sdk.APIError) {
    return {
      status: error.status,
      errorType: error.code ?? error.type ?? undefined,
      detail: error.message,
    };
  }
  return { detail: error instanceof Error ? error.message : String(error) };
}
