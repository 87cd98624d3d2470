/** The port: request/response types, the provider names and the error callers branch on. */
export type {
  LanguageModel,
  LmMessage,
  LmPurpose,
  LmRequest,
  LmResponse,
  LmUsage,
  ProviderErrorCode,
  ProviderName,
} from "./language-model.js";
/** A provider failure after the SDK's own retries; branch on `code`, never on `message`. The one list of provider names. */
export { ProviderError, providerNames } from "./language-model.js";
/** Chooses the provider (the one place `auto` is decided) and says why; the names `--provider` accepts. */
export {
  chooseProvider,
  isProviderChoice,
  providerChoices,
  type ChooseProviderOptions,
  type ProviderChoice,
  type ProviderDecision,
} from "./choose-provider.js";
/** Every provider key present in an environment, for redaction. */
export { providerSecrets } from "./provider-keys.js";

/** Builds the configured model (`auto`, a named provider, replay, optional recording). */
export {
  createLanguageModel,
  resolveProviderName,
  type CreateLanguageModelOptions,
} from "./registry.js";

/** Maps a step's model alias (`sonnet`, `haiku`, `flash`, ...) to a current model id; defaults per step family. */
export { resolveModel, MODEL_ALIASES, DEFAULT_MODELS, type StepFamily } from "./model-aliases.js";

/** Claude via `@anthropic-ai/sdk` (Messages API); SDK retries honour `retry-after`. */
export { AnthropicModel } from "./anthropic-model.js";
/** Gemini via `@google/genai`, with a retrying fetch that honours `retry-after` and `RetryInfo`. */
export { GeminiModel } from "./gemini-model.js";
/** OpenAI Chat Completions via `openai`; OPENAI_BASE_URL reaches Ollama, vLLM, llama.cpp servers. */
export { OpenAiModel } from "./openai-model.js";
/** Options shared by the SDK-backed adapters (key, base URL, retries, timeout). */
export type { RemoteModelOptions } from "./remote-model-options.js";

/** The offline, deterministic, simulated provider (docs/sim-provider.md); `SIM_MODEL` is its priced-at-0 id. */
export { SimModel, SIM_MODEL, estimateTokens, type SimModelOptions } from "./sim-model.js";

/** Record responses as cassettes (`<key>.json`) and replay them without keys; a miss is `replay_miss`. */
export { ReplayModel, createRecordingModel, cassetteKey, type Cassette } from "./replay-model.js";

/**
 * Serves identical temperature-0 requests once per store (never a rollout, an empty answer or a
 * secret); `lmRequestKey` is the DSPy-style request hash, with the endpoint.
 */
export {
  withLmCallCache,
  lmRequestKey,
  createMemoryLmCallStore,
  type LmCallStore,
  type LmCacheEvent,
  type LmCallCacheOptions,
  type UncacheableReason,
} from "./lm-call-cache.js";

/** Counts calls actually sent per purpose (the report's `lm_calls`). */
export {
  withCallAccounting,
  createLmCallCounter,
  type LmCallCounter,
} from "./with-call-accounting.js";
/** Counts every failed provider attempt by kind, retried ones included (the report's `provider_faults`). */
export { withFaultTally, type FaultTally } from "./with-fault-tally.js";

/** Reserves each call's worst case before sending and refuses what would pass the limit (`budget_exhausted`). */
export { withBudget, createBudget, type Budget } from "./with-budget.js";

/**
 * A call's cost before sending: prompt tokens estimated from its text (an upper bound for the budget's
 * reservation, the expected count for dry-run projections), `maxTokens` or the expected output, at the
 * price table's rates; `costUsd` null for an unpriced model. The one estimator of both.
 */
export {
  estimateCallCost,
  estimatePromptTokens,
  type CallCostEstimate,
  type CallCostOptions,
} from "./estimate-call-cost.js";

/** Cost in USD from the dated price table; null (with a warning) for an unknown model. */
export {
  computeCostUsd,
  findModelPrice,
  priceTable,
  type PriceTable,
  type ModelPrice,
} from "./pricing.js";

/** Names a failure (auth, rate_limited, overloaded, ...) from what the adapter saw; retry is decided elsewhere. */
export { classifyFailure, type FailureFacts } from "./classify-error.js";
