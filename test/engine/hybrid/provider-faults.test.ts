import { createServer, type Server } from "node:http";
import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { formatProblem, loadWorkflowText } from "../../../src/config/index.js";
import { createSeededRandom, runWorkflow } from "../../../src/engine/index.js";
import { AnthropicModel } from "../../../src/providers/index.js";
import { testContext } from "../scripted-model.js";

type Fault = "rate_limited" | "overloaded" | "server" | "timeout";

/**
 * A loopback Messages API that fails 30% of requests (seeded): 429 with `retry-after-ms`, 529
 * overloaded, 500, or no answer before the client's timeout. It counts what it injected.
 */
async function faultyMessagesApi(seed: number) {
  const random = createSeededRandom(seed);
  const injected: Record<Fault, number> = { rate_limited: 0, overloaded: 0, server: 0, timeout: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        system?: string;
        model: string;
      };
      const roll = random();
      const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        if (res.destroyed) return;
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(payload));
      };
      const error = (type: string) => ({
        type: "error",
        error: { type, message: `injected ${type}` },
      });
      if (roll < 0.075)
        return (
          injected.rate_limited++,
          reply(429, error("rate_limit_error"), { "retry-after-ms": "1" })
        );
      if (roll < 0.15)
        return (
          injected.overloaded++,
          reply(529, error("overloaded_error"), { "retry-after-ms": "1" })
        );
      if (roll < 0.225)
        return (injected.server++, reply(500, error("api_error"), { "retry-after-ms": "1" }));
      if (roll < 0.3) {
        injected.timeout++;
        return void setTimeout(() => reply(200, {}), 400);
      }
      const text = body.system?.includes("[[ ## ")
        ? "[[ ## category ## ]]\nsecurity\n\n[[ ## completed ## ]]"
        : "security";
      reply(200, {
        id: "msg",
        type: "message",
        role: "assistant",
        model: body.model,
        content: [{ type: "text", text }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 20, output_tokens: 5 },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    injected,
    close: () =>
      new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** 100 claude steps; every tenth has a signature and three training examples, so it compiles and runs optimized. */
function hundredSteps(): { yaml: string; files: Record<string, string> } {
  const files: Record<string, string> = {};
  const steps = Array.from({ length: 100 }, (_, i) => {
    const optimizable = i % 10 === 0;
    if (optimizable) {
      files[`training_data/s${i}.jsonl`] = [
        "attacker injects sql",
        "slow loop allocates",
        "name is unclear",
      ]
        .map((finding, k) =>
          JSON.stringify({
            input: { finding },
            output: { category: ["security", "performance", "style"][k] },
          }),
        )
        .join("\n");
    }
    const signature = optimizable
      ? `\n      signature: { input_fields: [{ name: finding, template: "{{global_vars.finding}}" }], output_fields: [{ name: category, type: literal, options: [security, performance, style] }] }\n      metric: exact_match`
      : "";
    return `    - name: s${i}\n      type: claude${signature}\n      prompt: [{ type: static, content: "Step ${i}: classify {{global_vars.finding}}" }]`;
  });
  const yaml = `workflow:
  name: faults
  global_vars: { finding: "an attacker injects sql through the login form" }
  defaults: { continue_on_error: true }
  dspy_config: { training_data_path: training_data, optimizer_options: { max_labeled_demos: 2, max_bootstrapped_demos: 1 } }
  steps:
${steps.join("\n")}
`;
  return { yaml, files };
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
afterEach(() => void process.off("unhandledRejection", onUnhandled));

describe("a provider failing 30% of calls over a 100-step run", () => {
  it(
    "finishes or falls back on every step, and counts every fault the provider saw",
    { timeout: 60_000 },
    async () => {
      process.on("unhandledRejection", onUnhandled);
      const api = await faultyMessagesApi(42);
      try {
        const dir = await mkdtemp(path.join(os.tmpdir(), "faults-"));
        const { yaml, files } = hundredSteps();
        for (const [name, text] of Object.entries(files)) {
          await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
          await writeFile(path.join(dir, name), text);
        }
        const loaded = loadWorkflowText(yaml, "wf.yaml", { workdir: dir });
        if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join("\n"));
        const lm = new AnthropicModel({
          apiKey: "sk-ant-test-faults",
          baseUrl: api.url,
          timeoutMs: 150,
          maxRetries: 2,
        });
        const { context } = testContext();
        const report = await runWorkflow({
          file: "wf.yaml",
          workflow: loaded.workflow,
          lm,
          context,
          workdir: dir,
          mode: "dspy_optimized",
          concurrency: 2,
        });

        const injected = Object.values(api.injected).reduce((a, b) => a + b, 0);
        expect(injected).toBeGreaterThan(30);
        // Every step ran to an outcome: its answer, the traditional fallback, or a recorded failure.
        expect(report.steps).toHaveLength(100);
        for (const step of report.steps) {
          expect(["success", "fallback", "failed"]).toContain(step.status);
          if (step.status === "failed")
            expect(step.error).toMatch(
              /^step 's\d+': anthropic (rate_limited|overloaded|server|timeout)/,
            );
        }
        // Every injected fault is in the report, by kind, whether the SDK's retries recovered from it or not.
        const seen = Object.fromEntries(Object.entries(api.injected).filter(([, n]) => n > 0));
        expect(report.provider_faults).toEqual(seen);
        // Faults that outlived the retries: failed traditional steps, and optimized calls that fell back.
        const failed = report.steps.filter((s) => s.status === "failed").length;
        const traditionalErrors = Object.values(report.errors.traditional).reduce(
          (a, b) => a + b,
          0,
        );
        expect(traditionalErrors).toBeGreaterThanOrEqual(failed);
        const fallbacks = report.steps.filter(
          (s) => s.fallback && s.fallback.reason !== "dspy_unavailable",
        ).length;
        const optimizedErrors = Object.values(report.errors.optimized).reduce((a, b) => a + b, 0);
        expect(optimizedErrors).toBeGreaterThanOrEqual(fallbacks);
        expect(unhandled).toEqual([]);
      } finally {
        await api.close();
      }
    },
  );
});
