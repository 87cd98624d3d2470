import type { LmRequest } from "./language-model.js";
import { computeCostUsd, priceTable, type PriceTable } from "./pricing.js";

/** What a call can cost at most, before it is sent. */
export interface CallCostEstimate {
  /** Prompt tokens estimated from the prompt text (system and every message). */
  inputTokens: number;
  /** The request's `maxTokens`: the most the model may generate. */
  maxOutputTokens: number;
  /** USD if the model wrote `maxOutputTokens`: input and output at the price table's rates, no prompt-cache discount. */
  worstCaseUsd: number;
}

/** Framing tokens each message adds in the chat formats (role markers); OpenAI's cookbook counts 3–4. */
const TOKENS_PER_MESSAGE = 4;

/**
 * Prompt tokens, estimated on the high side without a tokenizer: one token per 3 UTF-8 bytes
 * (English prose runs about 4 characters per token, https://help.openai.com/en/articles/4936856;
 * CJK about one 3-byte character per token), plus {@link TOKENS_PER_MESSAGE} per message.
 */
export function estimatePromptTokens(request: Pick<LmRequest, "system" | "messages">): number {
  const bytes = (text: string) => Buffer.byteLength(text, "utf8");
  const system = request.system ? bytes(request.system) : 0;
  const messages = request.messages.reduce((sum, m) => sum + bytes(m.content), 0);
  const framing = TOKENS_PER_MESSAGE * (request.messages.length + (request.system ? 1 : 0));
  return Math.ceil((system + messages) / 3) + framing;
}

/**
 * The worst-case cost of sending `request` to `model`: its prompt tokens (estimated from the text by
 * {@link estimatePromptTokens}) at the input rate plus `maxTokens` at the output rate, with the price
 * tier the prompt size selects. The budget reserves this before each call and releases what the
 * response did not spend; `optimize --dry-run` adds it up for projections. Pure: no I/O, no warning.
 *
 * Returns null when `model` is not in the price table (its cost is unknown: never a guess).
 * @param model The model to price, @default request.model (a projection may price another).
 * @example estimateCallCost({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "Hi" }], maxTokens: 100 })
 * // { inputTokens: 5, maxOutputTokens: 100, worstCaseUsd: 0.000505 }
 */
export function estimateCallCost(
  request: Pick<LmRequest, "model" | "system" | "messages" | "maxTokens">,
  model: string = request.model,
  prices: PriceTable = priceTable,
): CallCostEstimate | null {
  const inputTokens = estimatePromptTokens(request);
  const maxOutputTokens = request.maxTokens;
  const usd = computeCostUsd(
    model,
    { inputTokens, outputTokens: maxOutputTokens, cachedInputTokens: 0 },
    undefined,
    prices,
  );
  return usd === null ? null : { inputTokens, maxOutputTokens, worstCaseUsd: usd };
}
