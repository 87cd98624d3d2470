/**
 * A `fetch` for the OpenAI SDK that marks a 429 whose body says `insufficient_quota` with
 * `x-should-retry: false`. OpenAI answers an exhausted quota (billing) with the same 429 as a rate
 * limit (https://platform.openai.com/docs/guides/error-codes), and the SDK retries every 429 unless
 * the server says otherwise through that header, which it obeys.
 */
export function quotaAwareFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.status !== 429) return response;
    const body = await response.text();
    const headers = new Headers(response.headers);
    if (isQuotaError(body)) headers.set("x-should-retry", "false");
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}

function isQuotaError(body: string): boolean {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== "object" || parsed === null || !("error" in parsed)) return false;
    const error: unknown = parsed.error;
    return (
      typeof error === "object" &&
      error !== null &&
      "code" in error &&
      error.code === "insufficient_quota"
    );
  } catch {
    return false;
  }
}
