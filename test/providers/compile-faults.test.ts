import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatProblem, loadWorkflowText } from "../../src/config/index.js";
import { runWorkflow } from "../../src/engine/index.js";
import { OpenAiModel } from "../../src/providers/index.js";
import { testContext } from "../engine/scripted-model.js";

/** An OpenAI-compatible server whose every third answer is a 200 with malformed JSON. */
async function flakyChatServer() {
  let requests = 0;
  let malformed = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        messages: Array<{ role: string; content: string }>;
      };
      requests++;
      res.writeHead(200, { "content-type": "application/json" });
      if (requests % 3 === 0) {
        malformed++;
        return void res.end('{"id":"chatcmpl-1","choices":[{"mess');
      }
      const markers = body.messages.some(
        (m) => m.role === "system" && m.content.includes("[[ ## "),
      );
      const text = markers ? "[[ ## category ## ]]\nsecurity\n\n[[ ## completed ## ]]" : "security";
      res.end(
        JSON.stringify({
          id: "chatcmpl-1",
          object: "chat.completion",
          created: 1,
          model: "gpt-4o-mini",
          choices: [
            { index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" },
          ],
          usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    malformed: () => malformed,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

describe("malformed answers while compiling", () => {
  it("are retried and counted: no step's compile is aborted", { timeout: 60_000 }, async () => {
    const api = await flakyChatServer();
    try {
      const dir = await mkdtemp(path.join(os.tmpdir(), "compile-faults-"));
      await mkdir(path.join(dir, "training_data"));
      const examples = ["attacker injects sql", "slow loop allocates", "name is unclear"]
        .map((finding, k) =>
          JSON.stringify({
            input: { finding },
            output: { category: ["security", "performance", "style"][k] },
          }),
        )
        .join("\n");
      const steps = [0, 1, 2, 3].map((i) => {
        return `    - name: s${i}
      type: claude
      claude_options: { model: gpt-4o-mini }
      signature: { input_fields: [{ name: finding, template: "{{global_vars.finding}}" }], output_fields: [{ name: category, type: literal, options: [security, performance, style] }] }
      metric: exact_match
      prompt: [{ type: static, content: "Step ${i}: classify {{global_vars.finding}}" }]`;
      });
      for (const i of [0, 1, 2, 3])
        await writeFile(path.join(dir, `training_data/s${i}.jsonl`), examples);
      const yaml = `workflow:
  name: compile_faults
  global_vars: { finding: "an attacker injects sql through the login form" }
  dspy_config: { training_data_path: training_data, optimizer_options: { max_labeled_demos: 2, max_bootstrapped_demos: 1 } }
  steps:
${steps.join("\n")}
`;
      const loaded = loadWorkflowText(yaml, "wf.yaml", { workdir: dir });
      if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join("\n"));
      const lm = new OpenAiModel({
        apiKey: "sk-test-compile-faults-0123456789",
        baseUrl: `${api.url}/v1`,
      });
      const { context } = testContext();
      const report = await runWorkflow({
        file: "wf.yaml",
        workflow: loaded.workflow,
        lm,
        context,
        workdir: dir,
        mode: "dspy_optimized",
      });
      expect(api.malformed()).toBeGreaterThanOrEqual(3);
      expect(report.steps.map((s) => [s.status, s.fallback?.reason ?? null])).toEqual(
        Array(4).fill(["success", null]),
      );
      expect(report.provider_faults).toEqual({ malformed_response: api.malformed() });
    } finally {
      await api.close();
    }
  });
});
