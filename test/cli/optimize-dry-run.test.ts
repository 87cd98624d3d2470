import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { optimizeCommand } from "../../src/cli/commands/optimize.js";
import { runCommand } from "../../src/cli/commands/run.js";

const root = resolve(import.meta.dirname, "../..");

/** A loopback Anthropic endpoint that fails every request and counts them. */
let server: Server;
let requests = 0;
let baseUrl = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    req.resume();
    res.writeHead(400, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        type: "error",
        error: { type: "invalid_request_error", message: "no calls expected" },
      }),
    );
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

function io(cwd = root): CliIo & { out: string; err: string } {
  const sink = {
    out: "",
    err: "",
    cwd,
    env: { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: baseUrl },
    stdout: (t: string) => void (sink.out += t),
    stderr: (t: string) => void (sink.err += t),
  };
  return sink;
}

async function exampleFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const dir of await readdir(join(root, "examples")))
    for (const file of await readdir(join(root, "examples", dir)))
      if (file.endsWith(".yaml")) files.push(`examples/${dir}/${file}`);
  return files.sort();
}

describe("hybrid-pipeline optimize --dry-run", () => {
  it("prints projected calls and dollars per step for every example and sends 0 LM calls", async () => {
    const files = await exampleFiles();
    expect(files.length).toBeGreaterThanOrEqual(3);
    let projected = 0;
    for (const file of files)
      for (const optimizer of ["mipro", "bootstrap_few_shot_random_search"]) {
        const out = io();
        const code = await optimizeCommand.run(
          [file, "--dry-run", "--provider", "anthropic", "--optimizer", optimizer],
          out,
        );
        if (code === 1) {
          // A workflow without any signature step has nothing to compile, and says so.
          expect(out.err).toMatch(/no step has a signature/);
          continue;
        }
        expect(code).toBe(0);
        const lines = out.out.trimEnd().split("\n");
        expect(lines[0]).toMatch(/ · dry run: projected with an empty cache, nothing sent$/);
        const steps = lines.filter((l) => new RegExp(`^\\w+: ${optimizer} on `).test(l));
        expect(steps.length).toBeGreaterThan(0);
        for (const line of steps)
          expect(line).toMatch(
            /: \d+ LM calls(, up to \d+)? \(teacher \d+, proposal \d+, evaluation \d+(, A\/B \d+)?\) · ~\d+ in \/ ~\d+ out tokens · \$\d+\.\d{4}$/,
          );
        expect(lines.at(-1)).toMatch(/^total: [1-9]\d* LM calls.* · \$\d+\.\d{4}$/);
        projected += steps.length;
      }
    expect(projected).toBeGreaterThanOrEqual(4);
    expect(requests).toBe(0);
  });

  it("the same command without --dry-run does reach the loopback provider (the check above can fail)", async () => {
    const before = requests;
    const out = io();
    await optimizeCommand.run(
      ["examples/code-review/classify_findings.yaml", "--provider", "anthropic", "--no-cache"],
      out,
    );
    expect(requests).toBeGreaterThan(before);
  });

  it("projects within 10% of the calls sim actually sends with caching off", async () => {
    for (const optimizer of ["mipro", "bootstrap_few_shot_random_search"]) {
      const dry = io();
      await optimizeCommand.run(
        ["examples/code-review/classify_findings.yaml", "--dry-run", "--optimizer", optimizer],
        dry,
      );
      const wet = io();
      await optimizeCommand.run(
        [
          "examples/code-review/classify_findings.yaml",
          "--provider",
          "sim",
          "--no-cache",
          "--optimizer",
          optimizer,
        ],
        wet,
      );
      const projectedCalls = Number(/^total: (\d+) LM calls/m.exec(dry.out)![1]);
      const sent = Number(/LM calls this run: (\d+)/.exec(wet.out)![1]);
      expect(Math.abs(projectedCalls - sent) / sent).toBeLessThanOrEqual(0.1);
    }
  });
});

describe("hybrid-pipeline run --dry-run", () => {
  it("projects the compile and evaluation work of an evaluation run, reports a projection above --budget-usd, and sends 0 LM calls", async () => {
    const before = requests;
    const out = io();
    const code = await runCommand.run(
      [
        "examples/hybrid-code-analyzer/hybrid_code_analyzer.yaml",
        "--dry-run",
        "--provider",
        "anthropic",
        "--mode",
        "evaluation",
        "--budget-usd",
        "0.01",
      ],
      out,
    );
    expect(code).toBe(0);
    const lines = out.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^run hybrid_code_analyzer · mode evaluation · dry run: /);
    expect(lines.filter((l) => l.startsWith("  evaluation (both arms on dev): "))).toHaveLength(4);
    // review_risks has 8 labelled examples: it compiles on all of them (no validation split below the floor).
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^review_risks: bootstrap_few_shot on claude-sonnet-4-6, trainset 8, validation 0: /,
      ),
    );
    expect(lines.at(-2)).toMatch(/^total: \d+ LM calls.*A\/B \d+\) · .* · \$\d+\.\d{4}$/);
    expect(lines.at(-1)).toMatch(
      /^over budget: the projection \(\$\d+\.\d{4}\) is above --budget-usd \$0\.01; /,
    );
    expect(requests).toBe(before);
  });
});

describe("hybrid-pipeline run --dry-run without a step's training data", () => {
  it("says the step would not compile and projects 0 LM calls for it", async () => {
    const { cp, mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const dir = await mkdtemp(join(tmpdir(), "dry-run-missing-"));
    const example = "examples/hybrid-code-analyzer";
    await cp(join(root, example), join(dir, example), { recursive: true });
    await rm(join(dir, example, "training_data/review_risks.jsonl"));
    const out = io(dir);
    const code = await runCommand.run(
      [`${example}/hybrid_code_analyzer.yaml`, "--dry-run", "--provider", "anthropic"],
      out,
    );
    expect(code).toBe(0);
    expect(out.out.split("\n")).toContain(
      "review_risks: would not compile (training data missing): 0 LM calls",
    );
  });
});

describe("MIPROv2's settings in the pipeline file", () => {
  it("takes dspy_config.optimizer_options.auto: a heavier run projects more trials, and validate accepts it", async () => {
    const { mkdtemp, readFile, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    // A copy of the example outside the repository; its training data path stays relative to the root.
    const file = join(await mkdtemp(join(tmpdir(), "mipro-auto-")), "classify_findings.yaml");
    const original = await readFile(
      join(root, "examples/code-review/classify_findings.yaml"),
      "utf8",
    );
    const totalFor = async (auto: string) => {
      await writeFile(
        file,
        original.replace(
          /dspy_config:\n/,
          `dspy_config:\n    optimizer_options: { auto: ${auto} }\n`,
        ),
      );
      const out = io();
      const code = await optimizeCommand.run(
        [file, "--dry-run", "--optimizer", "mipro", "--provider", "sim"],
        out,
      );
      expect(code, out.err).toBe(0);
      return Number(/^total: (\d+) LM calls/m.exec(out.out)![1]);
    };
    const light = await totalFor("light");
    const medium = await totalFor("medium");
    expect(medium).toBeGreaterThan(light);
    await writeFile(
      file,
      original.replace(/dspy_config:\n/, "dspy_config:\n    optimizer_options: { auto: huge }\n"),
    );
    const bad = io();
    expect(await optimizeCommand.run([file, "--dry-run"], bad)).toBe(1);
    expect(bad.err).toMatch(/auto/);
  });
});
