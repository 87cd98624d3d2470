import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { examplesDir, projectRoot, spawnCli } from "./spawn-cli.js";

const redisUrl = process.env.HYBRID_PIPELINE_TEST_REDIS_URL;
const pipeline = "examples/code-review/classify_findings.yaml";

describe("options and help", () => {
  it.each([
    ["run", "--repor-json", "--report-json"],
    ["optimize", "--budget", "--budget-calls"],
    ["validate", "--stritc", "--strict"],
    ["cache", "--cache-dri", "--cache-dir"],
  ])("%s %s: one line naming the option and the likely one, exit 2", async (verb, wrong, right) => {
    const cli = await spawnCli([verb, wrong, "x"], projectRoot);
    expect(cli.stderr).toBe(
      `hybrid-pipeline ${verb}: unknown option '${wrong}'; did you mean ${right}?\nRun 'hybrid-pipeline ${verb} --help' for its options.\n`,
    );
    expect(cli.code).toBe(2);
  });

  it("an unknown option with nothing close gets no guess", async () => {
    const cli = await spawnCli(["run", "--zzzzzz", "x"], projectRoot);
    expect(cli.stderr.split("\n")[0]).toBe("hybrid-pipeline run: unknown option '--zzzzzz'");
    expect(cli.code).toBe(2);
  });

  it("help run prints run's help, not the command list", async () => {
    const cli = await spawnCli(["help", "run"], projectRoot);
    const own = await spawnCli(["run", "--help"], projectRoot);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toBe(own.stdout);
    expect(cli.stdout).toMatch(/^Usage: hybrid-pipeline run FILE \[options\]/);
  });

  it("an unknown command gets a guess", async () => {
    const cli = await spawnCli(["rnu"], projectRoot);
    expect(cli.stderr.split("\n")[0]).toBe(
      "hybrid-pipeline: unknown command 'rnu'; did you mean run?",
    );
    expect(cli.code).toBe(2);
  });
});

describe("optimize saves the program or says it could not", () => {
  it("exits 1 naming the step when the program could not be saved (the cache dir is a file)", async () => {
    const dir = await examplesDir();
    await writeFile(path.join(dir, "not-a-dir"), "x");
    const cli = await spawnCli(
      ["optimize", pipeline, "--provider", "sim", "--cache-dir", "not-a-dir"],
      dir,
    );
    expect(cli.stdout).toContain("classify_finding: exact_match held out (test n=34)");
    expect(cli.stderr).toMatch(
      /^examples\/code-review\/classify_findings\.yaml: error: classify_finding: compiled but not saved to the cache, so `run` cannot use it \(disk: .*ENOTDIR.*\); check --cache-dir is writable$/m,
    );
    expect(cli.code).toBe(1);
  });

  it("exits 0 once the program is saved", async () => {
    const dir = await examplesDir();
    const cli = await spawnCli(["optimize", pipeline, "--provider", "sim"], dir);
    expect(cli.stderr).toBe("");
    expect(cli.code).toBe(0);
    const again = await spawnCli(["run", pipeline, "--provider", "sim", "--no-compile"], dir);
    expect(again.stdout).not.toContain("dspy_unavailable");
  });

  it.skipIf(!redisUrl)(
    "--redis-url saves the program in Redis when the disk cannot take it",
    async () => {
      const dir = await examplesDir();
      await writeFile(path.join(dir, "not-a-dir"), "x");
      // A seed of its own gives a cache key no earlier test run left in the shared Redis.
      const seed = String(Date.now() % 1_000_000_000);
      const cli = await spawnCli(
        [
          "optimize",
          pipeline,
          "--provider",
          "sim",
          "--cache-dir",
          "not-a-dir",
          "--redis-url",
          redisUrl!,
          "--seed",
          seed,
        ],
        dir,
      );
      expect(cli.stderr).not.toContain("not saved");
      expect(cli.code).toBe(0);
    },
  );
});
