import type { LmUsage } from "./language-model.js";
import table from "./prices.json" with { type: "json" };

/** USD per 1,000,000 tokens. `cached_input` applies to prompt-cache reads, `cache_write` to prompt-cache writes. */
export interface PriceRates {
  input: number;
  output: number;
  cached_input: number;
  cache_write?: number;
}

/** A model's rates; a tier replaces them for a request whose prompt exceeds `above_input_tokens`. */
export interface ModelPrice extends PriceRates {
  tiers?: Array<PriceRates & { above_input_tokens: number }>;
}

export interface ProviderPriceTable {
  /** Date the rates were read from `source` (YYYY-MM-DD). */
  as_of: string;
  source: string;
  models: Record<string, ModelPrice>;
}

export interface PriceTable {
  unit: string;
  providers: Record<string, ProviderPriceTable>;
}

/** The bundled, dated price table (`prices.json`). */
export const priceTable: PriceTable = table;

/**
 * Snapshot and alias suffixes that keep a model's price: `claude-sonnet-4-5-20250929`,
 * `gpt-4o-2024-08-06`, `claude-3-5-haiku-latest`.
 */
const VERSION_SUFFIX = /-(?:\d{8}|\d{4}-\d{2}-\d{2}|latest)$/;

/** Looks a model id up in the table: exact id first, then without a dated snapshot suffix. */
export function findModelPrice(
  model: string,
  prices: PriceTable = priceTable,
): ModelPrice | undefined {
  const candidates = [model, model.replace(VERSION_SUFFIX, "")];
  for (const id of candidates) {
    for (const provider of Object.values(prices.providers)) {
      const price = provider.models[id];
      if (price) return price;
    }
  }
  return undefined;
}

/**
 * Cost of one call in USD. `usage.inputTokens` counts every prompt token, cached ones included;
 * cached reads and cache writes are billed at their own rates, the rest at the input rate.
 * Returns null (and calls `warn` with the model id) when the model is not in the table: never a guess.
 */
export function computeCostUsd(
  model: string,
  usage: LmUsage,
  warn?: (message: string) => void,
  prices: PriceTable = priceTable,
): number | null {
  const price = findModelPrice(model, prices);
  if (!price) {
    warn?.(`no price for model "${model}" in the price table; cost_usd is null for its calls`);
    return null;
  }
  const tier = [...(price.tiers ?? [])]
    .sort((a, b) => b.above_input_tokens - a.above_input_tokens)
    .find((t) => usage.inputTokens > t.above_input_tokens);
  const rates: PriceRates = tier ?? price;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const cached = usage.cachedInputTokens;
  const plain = Math.max(0, usage.inputTokens - cached - cacheWrite);
  const micros =
    plain * rates.input +
    cached * rates.cached_input +
    cacheWrite * (rates.cache_write ?? rates.input) +
    usage.outputTokens * rates.output;
  return micros / 1_000_000;
}
