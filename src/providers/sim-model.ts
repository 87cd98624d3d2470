import { createHash } from "node:crypto";
import type { LanguageModel, LmRequest, LmResponse } from "./language-model.js";
import { computeCostUsd } from "./pricing.js";
import { warnOnce } from "./remote-model-options.js";
import { simAnswer } from "./sim-answer.js";

export interface SimModelOptions {
  /** Actually wait the simulated latency (benches); tests and demos leave it off. @default false */
  sleep?: boolean;
  /** Fixed simulated latency in milliseconds instead of the formula. @default undefined */
  latencyMs?: number;
  /** Where warnings go (a model missing from the price table). @default no output */
  warn?: (message: string) => void;
}

/** The model id the sim answers as when a step names none. Priced at 0 in the price table. */
export const SIM_MODEL = "sim-1";

/** Plausible token count: about four characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * 32-bit seed from the SHA-256 of the whole request (purpose, step and timeout excluded). A
 * `rolloutId` is part of it, so each rollout of one prompt is its own deterministic sample.
 */
export function requestSeed(request: LmRequest): number {
  const { model, system, messages, maxTokens, temperature, rolloutId } = request;
  const digest = createHash("sha256")
    .update(JSON.stringify({ model, system, messages, maxTokens, temperature, rolloutId }))
    .digest();
  return digest.readUInt32BE(0);
}

/**
 * The offline default: deterministic, labelled simulated, a learner of a simple kind
 * (see {@link simAnswer} and docs/sim-provider.md). Never looks up an expected answer.
 */
export class SimModel implements LanguageModel {
  readonly provider = "sim";
  readonly simulated = true;
  readonly #options: SimModelOptions;
  readonly #warn: (message: string) => void;

  constructor(options: SimModelOptions = {}) {
    this.#options = options;
    this.#warn = warnOnce(options.warn);
  }

  async complete(request: LmRequest, signal?: AbortSignal): Promise<LmResponse> {
    signal?.throwIfAborted();
    const seed = requestSeed(request);
    const full = simAnswer(request, seed);
    // Like a real model, the answer stops at max tokens.
    const text = full.length > request.maxTokens * 4 ? full.slice(0, request.maxTokens * 4) : full;
    const prompt = [request.system ?? "", ...request.messages.map((m) => m.content)].join("\n");
    const usage = {
      inputTokens: estimateTokens(prompt),
      outputTokens: estimateTokens(text),
      cachedInputTokens: 0,
    };
    // 150 ms to first token, 8 ms per output token, 1 ms per 100 prompt tokens, up to 30 ms of seeded jitter.
    const latencyMs =
      this.#options.latencyMs ??
      150 + 8 * usage.outputTokens + Math.floor(usage.inputTokens / 100) + (seed % 31);
    if (this.#options.sleep) await sleep(latencyMs, signal);
    return {
      text,
      usage,
      latencyMs,
      model: request.model,
      costUsd: computeCostUsd(request.model, usage, this.#warn),
    };
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), {
      once: true,
    });
  });
}
