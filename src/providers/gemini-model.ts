import type { GenerateContentResponse, GoogleGenAI } from "@google/genai";
import { toProviderError, type FailureFacts } from "./classify-error.js";
import type { LmRequest, LmResponse } from "./language-model.js";
import { attemptLoggingFetch } from "./attempt-log.js";
import { computeCostUsd } from "./pricing.js";
import type { RemoteModelOptions, RemoteModelSettings } from "./remote-model-options.js";
import { SdkModel } from "./sdk-model.js";
import { FetchTimeoutError, retryingFetch, withAttemptTimeout } from "./retrying-fetch.js";
import { answerCheckingFetch, field } from "./answer-check-fetch.js";

interface Connection {
  sdk: typeof import("@google/genai");
  client: GoogleGenAI;
}

/**
 * Gemini through `@google/genai` (`models.generateContent`, Gemini Developer API). Retries come
 * from {@link retryingFetch} (honours `retry-after` and `RetryInfo`), not the SDK's retryOptions.
 * The SDK is imported on the first call.
 */
export class GeminiModel extends SdkModel<Connection> {
  readonly provider = "gemini";

  constructor(options: RemoteModelOptions) {
    super(options, connect);
  }

  protected async send(
    { sdk, client }: Connection,
    request: LmRequest,
    signal?: AbortSignal,
  ): Promise<LmResponse> {
    const started = this.settings.now();
    let response: GenerateContentResponse;
    try {
      response = await withAttemptTimeout(request.timeoutMs, () =>
        client.models.generateContent({
          model: request.model,
          contents: request.messages.map((m) => ({
            role: m.role === "assistant" ? "model" : "user",
            parts: [{ text: m.content }],
          })),
          config: {
            ...(request.system ? { systemInstruction: request.system } : {}),
            maxOutputTokens: request.maxTokens,
            temperature: request.temperature ?? 0,
            ...(signal ? { abortSignal: signal } : {}),
          },
        }),
      );
    } catch (error) {
      if (signal?.aborted) throw error;
      throw toProviderError("gemini", failureFacts(sdk, error), {
        secrets: [this.settings.apiKey],
        keyEnv: "GEMINI_API_KEY or GOOGLE_API_KEY",
      });
    }
    const meta = response.usageMetadata;
    // Thinking tokens are billed as output (https://ai.google.dev/gemini-api/docs/pricing).
    const usage = {
      inputTokens: meta?.promptTokenCount ?? 0,
      outputTokens: (meta?.candidatesTokenCount ?? 0) + (meta?.thoughtsTokenCount ?? 0),
      cachedInputTokens: meta?.cachedContentTokenCount ?? 0,
    };
    const model = response.modelVersion ?? request.model;
    return {
      text: response.text ?? "",
      usage,
      latencyMs: Math.round(this.settings.now() - started),
      model,
      costUsd: computeCostUsd(model, usage, this.settings.warn),
    };
  }
}

async function connect(settings: RemoteModelSettings): Promise<Connection> {
  const sdk = await import("@google/genai");
  const policy = { maxRetries: settings.maxRetries, timeoutMs: settings.timeoutMs };
  const client = new sdk.GoogleGenAI({
    apiKey: settings.apiKey,
    httpOptions: {
      ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
      fetch: retryingFetch(policy, attemptLoggingFetch(answerCheckingFetch(isEmptyAnswer))),
    },
  });
  return { sdk, client };
}

/** A `generateContent` body whose first candidate has no text part. */
function isEmptyAnswer(body: unknown): boolean {
  const candidate: unknown = (field(body, "candidates") as unknown[] | undefined)?.[0];
  const parts = field(field(candidate, "content"), "parts");
  if (!Array.isArray(parts)) return true;
  return parts.every((p) => {
    const text = field(p, "text");
    return typeof text !== "string" || text === "" || field(p, "thought") === true;
  });
}

function failureFacts(sdk: Connection["sdk"], error: unknown): FailureFacts {
  if (error instanceof FetchTimeoutError) return { timedOut: true, detail: error.message };
  if (error instanceof sdk.ApiError)
    return { status: error.status, ...googleErrorBody(error.message) };
  return { detail: error instanceof Error ? error.message : String(error) };
}

/** The SDK puts the JSON error body in `message`: `{"error":{"code","message","status","details"}}`. */
function googleErrorBody(message: string): Omit<FailureFacts, "status"> {
  try {
    const parsed: unknown = JSON.parse(message);
    const error =
      typeof parsed === "object" && parsed !== null && "error" in parsed ? parsed.error : undefined;
    if (typeof error !== "object" || error === null) return { detail: message };
    const text = "message" in error && typeof error.message === "string" ? error.message : message;
    const details =
      "details" in error && Array.isArray(error.details) ? (error.details as unknown[]) : [];
    const reason = details.flatMap((d) =>
      typeof d === "object" && d !== null && "reason" in d && typeof d.reason === "string"
        ? [d.reason]
        : [],
    )[0];
    const status = "status" in error && typeof error.status === "string" ? error.status : undefined;
    return { detail: text, errorType: reason ?? status };
  } catch {
    return { detail: message };
  }
}
