import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { main } from "../../src/cli/main.js";
import type { RunReport } from "../../src/report/index.js";
import { startWireServer, type WireServer } from "./wire-server.js";

/** Not token-shaped: only the secrets list given to redaction can catch it. */
const CANARY = "canarysecretvalue1234";

function cli(cwd: string, env: NodeJS.ProcessEnv) {
  let out = "";
  let err = "";
  const io: CliIo = {
    cwd,
    env,
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
  };
  return { run: (argv: string[]) => main(argv, io), out: () => out, err: () => err };
}

async function filesUnder(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const texts = await Promise.all(
    entries.filter((e) => e.isFile()).map((e) => readFile(path.join(e.parentPath, e.name), "utf8")),
  );
  return texts.join("\n");
}

let server: WireServer | undefined;
afterEach(async () => server?.close());

describe("secrets stay out of the report and the LM-call cache", () => {
  const pipeline = `workflow:
  name: secrets
  steps:
    - name: remember
      type: set_variable
      variables: { note: "{{inputs.note}}" }
    - name: leaky
      type: claude
      prompt: [{ type: static, content: "Summarise the deployment note {{inputs.note}} for release." }]
    - name: clean
      type: claude
      prompt: [{ type: static, content: "Summarise the release checklist for reviewers." }]
`;

  it("redacts a GITHUB_TOKEN that is not token-shaped, and never caches a call holding it", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cli-secrets-"));
    await writeFile(path.join(dir, "wf.yaml"), pipeline);
    const argv = [
      "run",
      "wf.yaml",
      "--provider",
      "sim",
      "--cache-dir",
      "cache",
      "--input",
      `note=${CANARY}`,
      "--report-json",
      "report.json",
    ];
    const first = cli(dir, { GITHUB_TOKEN: CANARY });
    expect(await first.run(argv)).toBe(0);
    const json = await readFile(path.join(dir, "report.json"), "utf8");
    const report = JSON.parse(json) as RunReport;
    expect(json).not.toContain(CANARY);
    expect(report.steps[0]!.output_preview).toContain("***");
    expect(first.out() + first.err()).not.toContain(CANARY);
    const md = cli(dir, { GITHUB_TOKEN: CANARY });
    expect(await md.run(["report", "report.json", "--format", "md"])).toBe(0);
    expect(md.out()).not.toContain(CANARY);

    // The clean step's answer is on disk; the leaky one (its prompt and answer hold the token) is not.
    const cached = await filesUnder(path.join(dir, "cache"));
    expect(cached).toContain("checklist");
    expect(cached).not.toContain(CANARY);
    expect(report.cache.uncacheable).toBe(1);
    expect(report.lm_calls.step).toBe(2);

    // A second run replays the clean step from the cache and sends the leaky one again, answering the same.
    const second = cli(dir, { GITHUB_TOKEN: CANARY });
    expect(await second.run([...argv.slice(0, -1), "report2.json"])).toBe(0);
    const again = JSON.parse(await readFile(path.join(dir, "report2.json"), "utf8")) as RunReport;
    expect(again.lm_calls.step).toBe(1);
    expect(again.steps.map((s) => s.output_preview)).toEqual(
      report.steps.map((s) => s.output_preview),
    );
  });

  it("redacts any variable named in HYBRID_PIPELINE_SECRET_ENV", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cli-secrets-"));
    await writeFile(path.join(dir, "wf.yaml"), pipeline);
    const run = cli(dir, {
      DEPLOY_PASSPHRASE: CANARY,
      HYBRID_PIPELINE_SECRET_ENV: "DEPLOY_PASSPHRASE",
    });
    expect(
      await run.run([
        "run",
        "wf.yaml",
        "--provider",
        "sim",
        "--no-cache",
        "--input",
        `note=${CANARY}`,
        "--report-json",
        "r.json",
      ]),
    ).toBe(0);
    expect(await readFile(path.join(dir, "r.json"), "utf8")).not.toContain(CANARY);
  });
});

describe("--budget-usd reserves each call's worst case before sending", () => {
  const message = {
    status: 200,
    body: {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-haiku-4-5",
      content: [{ type: "text", text: "Looks fine." }],
      stop_reason: "end_turn",
      // $0.001 input + $0.002 output at haiku's $1/$5 per million tokens.
      usage: { input_tokens: 1000, output_tokens: 400 },
    },
  };
  const pipeline = (maxTokens: number) => `workflow:
  name: budget
  steps:
    - name: review
      type: claude
      claude_options: { model: haiku, max_tokens: ${maxTokens} }
      prompt: [{ type: static, content: "Review the change." }]
`;

  async function runWithBudget(budget: string, maxTokens: number) {
    server = await startWireServer([message]);
    const dir = await mkdtemp(path.join(os.tmpdir(), "cli-budget-"));
    await writeFile(path.join(dir, "wf.yaml"), pipeline(maxTokens));
    const run = cli(dir, {
      ANTHROPIC_API_KEY: "sk-ant-test-0123456789abcdef",
      ANTHROPIC_BASE_URL: server.url,
    });
    const code = await run.run([
      "run",
      "wf.yaml",
      "--provider",
      "anthropic",
      "--no-cache",
      "--budget-usd",
      budget,
      "--report-json",
      "r.json",
    ]);
    const report = JSON.parse(await readFile(path.join(dir, "r.json"), "utf8")) as RunReport;
    return { code, report };
  }

  it("--budget-usd 0.0001 sends nothing when the call could cost more, and spends nothing", async () => {
    const { report } = await runWithBudget("0.0001", 4096);
    expect(server!.requests).toHaveLength(0);
    expect(report.budget).toEqual({ limit_usd: 0.0001, spent_usd: 0, exhausted: true });
    expect(report.status).toBe("partial");
    // Worst case: 4096 output tokens × $5 per million, plus the prompt's estimated tokens × $1.
    expect(report.steps[0]!.error).toContain(
      "the next call to claude-haiku-4-5 could cost up to $0.0205 (its prompt and max_tokens 4096)",
    );
  });

  it("sends a call whose worst case fits, then counts what it actually cost", async () => {
    const { report } = await runWithBudget("0.01", 1000);
    expect(server!.requests).toHaveLength(1);
    expect(report.budget.spent_usd).toBeCloseTo(0.003, 10);
    expect(report.status).toBe("success");
  });
});
