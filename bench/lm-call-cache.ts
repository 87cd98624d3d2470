import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  AnthropicModel,
  createMemoryLmCallStore,
  SimModel,
  withLmCallCache,
  type LanguageModel,
  type LmRequest,
} from "../src/providers/index.js";

/**
 * What the LM-call cache saves, measured side by side in one run against the real Anthropic SDK
 * and a loopback Messages API that answers after 20 ms: a workload of 8 distinct prompts asked 6
 * times each (48 requests, 6 at a time), sent uncached vs through `withLmCallCache`. Also the
 * `sim` provider's cost per call (µs), since tests and demos lean on it.
 */
const SERVER_DELAY_MS = 20;
const PROMPTS = 8;
const REPEATS = 6;
const CONCURRENCY = 6;

async function startServer(): Promise<{ url: string; sent: () => number; close: () => void }> {
  let sent = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      sent++;
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            id: "m",
            type: "message",
            role: "assistant",
            model: "claude-haiku-4-5",
            content: [{ type: "text", text: "ok" }],
            stop_reason: "end_turn",
            usage: { input_tokens: 900, output_tokens: 40 },
          }),
        );
      }, SERVER_DELAY_MS);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent: () => sent,
    close: () => server.close(),
  };
}

const workload: LmRequest[] = Array.from({ length: PROMPTS * REPEATS }, (_, i) => ({
  model: "claude-haiku-4-5",
  system: "Classify the ticket.",
  messages: [{ role: "user", content: `ticket ${i % PROMPTS}: the invoice was charged twice` }],
  maxTokens: 64,
}));

async function run(lm: LanguageModel): Promise<{ ms: number; costUsd: number }> {
  const started = performance.now();
  let costUsd = 0;
  for (let i = 0; i < workload.length; i += CONCURRENCY) {
    const batch = await Promise.all(workload.slice(i, i + CONCURRENCY).map((r) => lm.complete(r)));
    costUsd += batch.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
  }
  return { ms: performance.now() - started, costUsd };
}

const server = await startServer();
const model = new AnthropicModel({ apiKey: "bench-key", baseUrl: server.url, maxRetries: 0 });
const plain = await run(model);
const plainSent = server.sent();
const cached = await run(withLmCallCache(model, createMemoryLmCallStore()));
const cachedSent = server.sent() - plainSent;
server.close();

const sim = new SimModel();
const simCalls = 2000;
const simStarted = performance.now();
for (let i = 0; i < simCalls; i++)
  await sim.complete({
    ...workload[i % workload.length]!,
    messages: [{ role: "user", content: `ticket ${i}` }],
  });
const simUs = ((performance.now() - simStarted) * 1000) / simCalls;

console.log(
  `requests: ${workload.length} (${PROMPTS} distinct × ${REPEATS}), ${CONCURRENCY} in flight, server delay ${SERVER_DELAY_MS} ms`,
);
console.log(`uncached: ${plainSent} sent, ${plain.ms.toFixed(0)} ms, $${plain.costUsd.toFixed(6)}`);
console.log(
  `cached:   ${cachedSent} sent, ${cached.ms.toFixed(0)} ms, $${cached.costUsd.toFixed(6)}`,
);
console.log(
  `ratio uncached/cached: calls ${(plainSent / cachedSent).toFixed(1)}×, wall time ${(plain.ms / cached.ms).toFixed(1)}×`,
);
console.log(`sim: ${simUs.toFixed(1)} µs per call`);
