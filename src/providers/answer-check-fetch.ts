import type { ProviderErrorCode } from "./language-model.js";

/** The header on a synthesized answer naming the fault an {@link answerCheckingFetch} found. */
export const FAULT_HEADER = "x-hybrid-pipeline-fault";

/** The faults a 200 can hide. */
export type AnswerFault = Extract<ProviderErrorCode, "empty_response" | "malformed_response">;

/** True when a parsed 200 body holds no answer text (provider-specific wire shape). */
export type IsEmptyAnswer = (body: unknown) => boolean;

/**
 * A `fetch` that reads every 200 before the SDK does: a body that is not JSON (`malformed_response`)
 * or a completion with no text (`empty_response`) becomes a 502 marked `x-should-retry: true`, so the
 * SDK's own retry policy (attempt count, backoff) treats it as the transient fault it is, the attempt
 * log counts it by kind, and it can never be cached. Both SDKs obey `x-should-retry`
 * (`shouldRetry` in @anthropic-ai/sdk and openai `client.ts`); {@link retryingFetch} retries 502.
 */
export function answerCheckingFetch(
  isEmpty: IsEmptyAnswer,
  inner: typeof fetch = fetch,
): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.status !== 200) return response;
    const text = await response.text();
    const fault = answerFault(text, isEmpty);
    if (fault === undefined)
      return new Response(text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    const message =
      fault === "empty_response"
        ? "the provider answered 200 with no completion text"
        : `the provider answered 200 with a body that is not JSON: ${JSON.stringify(text.slice(0, 80))}`;
    // `type`, `code` and `status` so each SDK's error parser finds the kind (Anthropic reads `type`,
    // OpenAI `code`, Google `status`).
    const body = JSON.stringify({
      type: "error",
      error: { type: fault, code: fault, status: fault, message },
    });
    return new Response(body, {
      status: 502,
      statusText: "Bad Gateway",
      headers: {
        "content-type": "application/json",
        "x-should-retry": "true",
        [FAULT_HEADER]: fault,
      },
    });
  };
}

function answerFault(text: string, isEmpty: IsEmptyAnswer): AnswerFault | undefined {
  if (text.trim() === "") return "empty_response";
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "malformed_response";
  }
  return isEmpty(body) ? "empty_response" : undefined;
}

/** A non-null object's property, else undefined (the wire body is `unknown`). */
export function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
