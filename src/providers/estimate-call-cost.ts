import type { LmRequest } from "./language-model.js";
import { computeCostUsd, priceTable, type PriceTable } from "./pricing.js";
import { estimateTokens } from "./sim-model.js";

/** What one request is expected to use and cost, before it is sent. */
export interface CallCostEstimate {
  /** Prompt tokens (system and every message), by the estimate `tokens` chose. */
  inputTokens: number;
  /** Output tokens assumed: `outputTokens` when given, else the request's `maxTokens` (the worst case). */
  outputTokens: number;
  /** USD at the price table's rates, no prompt-cache discount; null when the model is not in the table (never a guess). */
  costUsd: number | null;
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

/** How {@link estimateCallCost} counts prompt tokens. */
export interface CallCostOptions {
  /** The model to price. @default request.model */
  model?: string;
  /** Output tokens to assume. @default request.maxTokens (the worst case) */
  outputTokens?: number;
  /**
   * `upper_bound`: {@link estimatePromptTokens}, what a budget reserves before a call;
   * `expected`: the providers' ~4 characters a token (what `sim` reports), what a projection prints.
   * @default "upper_bound"
   */
  tokens?: "upper_bound" | "expected";
  /** @default the dated price table */
  prices?: PriceTable;
}

/**
 * The cost of sending `request` before it is sent: its prompt tokens at the input rate plus the
 * output tokens at the output rate, with the price tier the prompt size selects. The budget reserves
 * the upper bound before each call and releases what the response did not spend; `--dry-run`
 * projections add up the expected cost. Pure: no I/O, no warning.
 * @example estimateCallCost({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "Hi" }], maxTokens: 100 })
 * // { inputTokens: 5, outputTokens: 100, costUsd: 0.000505 }
 */
export function estimateCallCost(
  request: Pick<LmRequest, "model" | "system" | "messages" | "maxTokens">,
  options: CallCostOptions = {},
): CallCostEstimate {
  const inputTokens =
    (options.tokens ?? "upper_bound") === "upper_bound"
      ? estimatePromptTokens(request)
      : estimateTokens(
          [request.system ?? "", ...request.messages.map((m) => m.content)].join("\n"),
        );
  const outputTokens = options.outputTokens ?? request.maxTokens;
  const costUsd = computeCostUsd(
    options.model ?? request.model,
    { inputTokens, outputTokens, cachedInputTokens: 0 },
    undefined,
    options.prices ?? priceTable,
  );
  return { inputTokens, outputTokens, costUsd };
}
