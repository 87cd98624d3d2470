import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { formatProblem, loadWorkflowText } from "../src/config/index.js";
import { createRunContext, createSeededRandom, runWorkflow } from "../src/engine/index.js";
import { OpenAiModel } from "../src/providers/index.js";

/**
 * Provider faults end to end: 100 `claude_robust` steps through the real `openai` SDK against a
 * loopback OpenAI-compatible server that answers in 200 ms, with 30% of requests faulted (seeded):
 * hangs (no answer), 200s with an empty body, 200s with malformed JSON, 429 with `retry-after: 1`
 * and 500, 6% each. The pipeline file sets `defaults.timeout_seconds: 2`. Checks that every step
 * finishes, that the report counts every injected fault by kind, and that every hung attempt ends
 * within its timeout + 1 s; prints the wall time beside the same run without faults.
 */
const STEPS = 100;
const ANSWER_MS = 200;
const TIMEOUT_S = 2;
const FAULT_RATE = 0.3;
const FAULTS = ["hang", "empty_body", "malformed_json", "rate_limited_429", "server_500"] as const;
type Fault = (typeof FAULTS)[number];
/** What the report's `provider_faults` calls each injected fault. */
const COUNTED_AS: Record<Fault, string> = {
  hang: "timeout",
  empty_body: "empty_response",
  malformed_json: "malformed_response",
  rate_limited_429: "rate_limited",
  server_500: "server",
};

interface Exchange {
  fault: Fault | null;
  at: number;
  closedAt?: number;
}

async function startServer(faultRate: number, seed: number) {
  const random = createSeededRandom(seed);
  const exchanges: Exchange[] = [];
  const started = performance.now();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on("end", () => {
      const roll = random();
      const fault =
        roll < faultRate ? FAULTS[Math.floor((roll / faultRate) * FAULTS.length)]! : null;
      const exchange: Exchange = { fault, at: performance.now() - started };
      exchanges.push(exchange);
      res.on("close", () => (exchange.closedAt = performance.now() - started));
      const send = (status: number, body: string, headers: Record<string, string> = {}) =>
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(status, { "content-type": "application/json", ...headers });
          res.end(body);
        }, ANSWER_MS);
      const error = (message: string, type: string) =>
        JSON.stringify({ error: { message, type, param: null, code: null } });
      switch (fault) {
        case "hang":
          return; // never answers: the client's per-attempt timeout must end it
        case "empty_body":
          return send(200, "");
        case "malformed_json":
          return send(200, '{"id":"chatcmpl-1","object":"chat.completion","choi');
        case "rate_limited_429":
          return send(429, error("slow down", "rate_limit_error"), { "retry-after": "1" });
        case "server_500":
          return send(500, error("boom", "server_error"));
        default:
          return send(
            200,
            JSON.stringify({
              id: "chatcmpl-1",
              object: "chat.completion",
              created: 1,
              model: "gpt-4o-mini",
              choices: [
                { index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" },
              ],
              usage: { prompt_tokens: 20, completion_tokens: 1, total_tokens: 21 },
            }),
          );
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function pipeline(): string {
  const steps = Array.from(
    { length: STEPS },
    (_, i) => `    - name: step_${i}
      type: claude_robust
      claude_options: { model: gpt-4o-mini, max_tokens: 16 }
      retry_config: { max_retries: 3, backoff_strategy: linear }
      prompt: [{ type: static, content: "Answer ok to request ${i}." }]`,
  );
  return `workflow:
  name: provider_faults
  defaults:
    timeout_seconds: ${TIMEOUT_S}
    continue_on_error: true
  steps:
${steps.join("\n")}
`;
}

async function run(faultRate: number) {
  const server = await startServer(faultRate, 7);
  const dir = await mkdtemp(path.join(os.tmpdir(), "bench-faults-"));
  try {
    const yaml = pipeline();
    await writeFile(path.join(dir, "wf.yaml"), yaml);
    const loaded = loadWorkflowText(yaml, "wf.yaml", { workdir: dir });
    if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join("\n"));
    const lm = new OpenAiModel({
      apiKey: "sk-bench-0123456789abcdefghij",
      baseUrl: `${server.url}/v1`,
    });
    const quiet = { info() {}, debug() {}, warn() {} };
    const started = performance.now();
    const report = await runWorkflow({
      file: "wf.yaml",
      workflow: loaded.workflow,
      lm,
      context: createRunContext({ seed: 0, logger: quiet }),
      workdir: dir,
    });
    const wallMs = performance.now() - started;
    // Let the server see the last hang-up.
    await new Promise((r) => setTimeout(r, 50));
    return { report, wallMs, exchanges: [...server.exchanges] };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const clean = await run(0);
const faulty = await run(FAULT_RATE);

const injected: Record<string, number> = {};
for (const e of faulty.exchanges)
  if (e.fault) injected[COUNTED_AS[e.fault]] = (injected[COUNTED_AS[e.fault]] ?? 0) + 1;
const counted = faulty.report.provider_faults ?? {};
const kinds = [...new Set([...Object.keys(injected), ...Object.keys(counted)])].sort();
const hung = faulty.exchanges.filter((e) => e.fault === "hang");
const hungMs = hung.map((e) => (e.closedAt ?? Number.POSITIVE_INFINITY) - e.at);
const statuses = (r: typeof faulty.report) =>
  Object.entries(
    r.steps.reduce<Record<string, number>>(
      (n, s) => ((n[s.status] = (n[s.status] ?? 0) + 1), n),
      {},
    ),
  )
    .map(([k, v]) => `${v} ${k}`)
    .join(", ");

const countedAll = kinds.every((k) => injected[k] === counted[k]);
const finished = faulty.report.steps.every((s) => s.status === "success" || s.status === "failed");
const withinTimeout = hungMs.every((ms) => ms <= TIMEOUT_S * 1000 + 1000);

console.log(
  `${STEPS} steps, ${ANSWER_MS} ms answers, ${FAULT_RATE * 100}% faults, timeout ${TIMEOUT_S} s (defaults.timeout_seconds)`,
);
console.log(
  `  fault-free: ${(clean.wallMs / 1000).toFixed(1)} s wall, ${clean.exchanges.length} requests, steps: ${statuses(clean.report)}`,
);
console.log(
  `  faulty:     ${(faulty.wallMs / 1000).toFixed(1)} s wall, ${faulty.exchanges.length} requests, steps: ${statuses(faulty.report)}`,
);
console.log("  fault kind           injected  counted");
for (const k of kinds)
  console.log(
    `  ${k.padEnd(20)} ${String(injected[k] ?? 0).padStart(8)} ${String(counted[k] ?? 0).padStart(8)}`,
  );
console.log(
  `  hung attempts: ${hung.length}, longest ${(Math.max(0, ...hungMs) / 1000).toFixed(2)} s (limit ${TIMEOUT_S + 1} s)`,
);
console.log(
  `  every step finished: ${finished}; every fault counted by kind: ${countedAll}; every hang within timeout + 1 s: ${withinTimeout}`,
);
if (!finished || !countedAll || !withinTimeout) process.exitCode = 1;
