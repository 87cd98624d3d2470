import {
  ProviderError,
  type LanguageModel,
  type LmRequest,
  type LmResponse,
} from "../../src/providers/index.js";
import { createRunContext, type Logger, type RunContext } from "../../src/engine/index.js";

/** One scripted answer: text, or a provider fault to throw. */
export type Scripted = string | { error: ProviderError } | ((request: LmRequest) => string);

/**
 * A language model for engine tests: answers from `script` in order (the last answer repeats),
 * records every request, and tracks how many calls were in flight at once.
 */
export function scriptedModel(
  script: Scripted[],
  options: { delayMs?: number; costUsd?: number | null } = {},
) {
  const requests: LmRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const lm: LanguageModel = {
    provider: "sim",
    simulated: true,
    async complete(request: LmRequest): Promise<LmResponse> {
      requests.push(request);
      const next = script[Math.min(requests.length - 1, script.length - 1)] ?? "ok";
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        if (typeof next === "object") throw next.error;
        const text = typeof next === "function" ? next(request) : next;
        const input = [request.system ?? "", ...request.messages.map((m) => m.content)].join(
          "",
        ).length;
        return {
          text,
          usage: {
            inputTokens: Math.ceil(input / 4),
            outputTokens: Math.ceil(text.length / 4),
            cachedInputTokens: 0,
          },
          latencyMs: 100,
          model: request.model,
          costUsd: options.costUsd === undefined ? 0.001 : options.costUsd,
        };
      } finally {
        inFlight--;
      }
    },
  };
  return { lm, requests, maxInFlight: () => maxInFlight };
}

/** A run context with a fixed clock and a logger that collects warnings. */
export function testContext(): { context: RunContext; warnings: string[] } {
  const warnings: string[] = [];
  const logger: Logger = { info() {}, debug() {}, warn: (m) => warnings.push(m) };
  let t = Date.UTC(2026, 0, 2, 3, 4, 5);
  return { context: createRunContext({ logger, now: () => (t += 1) }), warnings };
}

export const overloaded = () => ({
  error: new ProviderError("overloaded", "overloaded (529)", "sim", 529),
});
