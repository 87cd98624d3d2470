import type { LmRequest } from "./language-model.js";
import { computeCostUsd, priceTable, type PriceTable } from "./pricing.js";
import { estimateTokens } from "./sim-model.js";

/** What one request is expected to use and cost. */
export interface CallCostEstimate {
  /** Prompt tokens: system and messages, by the providers' estimate (about four characters a token). */
  inputTokens: number;
  /** Output tokens assumed: `outputTokens` when given, else the request's `maxTokens` (the worst case). */
  outputTokens: number;
  /** USD at the price table's rates; null when the model is not in the table. */
  costUsd: number | null;
}

/**
 * The cost of a request before it is sent, from its prompt's token count (the same estimate the
 * `sim` provider reports, over the same text: system and message contents joined by newlines) and
 * the dated price table. Without `outputTokens` it is the worst case (`maxTokens` generated), what a
 * budget must reserve; with it, the expected cost a projection prints. No prompt-cache discount.
 * @example estimateCallCost({ model: "claude-haiku-4-5", system: "…", messages, maxTokens: 1024 })
 */
export function estimateCallCost(
  request: Pick<LmRequest, "model" | "system" | "messages" | "maxTokens">,
  options: { outputTokens?: number; prices?: PriceTable } = {},
): CallCostEstimate {
  const prompt = [request.system ?? "", ...request.messages.map((m) => m.content)].join("\n");
  const inputTokens = estimateTokens(prompt);
  const outputTokens = options.outputTokens ?? request.maxTokens;
  const costUsd = computeCostUsd(
    request.model,
    { inputTokens, outputTokens, cachedInputTokens: 0 },
    undefined,
    options.prices ?? priceTable,
  );
  return { inputTokens, outputTokens, costUsd };
}
