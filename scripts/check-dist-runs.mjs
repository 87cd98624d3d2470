// Runs the built bundle as a runner would, because ncc can exit 0 yet write a bundle that fails to load.
// A tiny pipeline runs offline (provider sim, no cache service, no comment); the step must succeed and
// write its outputs. Usage: node scripts/check-dist-runs.mjs [path/to/dist/index.js]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const bundle = resolve(process.argv[2] ?? join(root, "dist/index.js"));
const workspace = mkdtempSync(join(tmpdir(), "check-dist-"));
try {
  mkdirSync(join(workspace, "pipelines"));
  writeFileSync(
    join(workspace, "pipelines/hello.yaml"),
    [
      "workflow:",
      "  name: hello",
      "  steps:",
      "    - name: greet",
      "      type: claude",
      "      prompt:",
      "        - type: static",
      "          content: Say hello.",
      "",
    ].join("\n"),
  );
  const output = join(workspace, "output.txt");
  const summary = join(workspace, "summary.md");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const started = Date.now();
  const result = spawnSync(process.execPath, [bundle], {
    cwd: workspace,
    encoding: "utf8",
    timeout: 60_000,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_EVENT_NAME: "push",
      RUNNER_TEMP: workspace,
      INPUT_WORKFLOWS: "pipelines/*.yaml",
      INPUT_PROVIDER: "sim",
      INPUT_CACHE: "false",
      INPUT_COMMENT: "false",
      "INPUT_REPORT-PATH": "report.json",
    },
  });
  const outputs = readFileSync(output, "utf8");
  const problems = [];
  if (result.error) problems.push(`could not run: ${result.error.message}`);
  if (result.status !== 0) problems.push(`exit code ${result.status}`);
  if (!/^report-path<<.*\nreport\.json\n/m.test(outputs)) problems.push("no report-path output");
  if (!readFileSync(summary, "utf8").includes("<!-- hybrid-pipeline:report -->"))
    problems.push("no job summary");
  if (!/first step \(greet\) starting \d+ ms after process start/.test(result.stdout))
    problems.push("no step started");
  if (problems.length > 0) {
    process.stderr.write(
      `${result.stdout}\n${result.stderr}\ncheck-dist-runs: ${bundle} does not run: ${problems.join("; ")}\n`,
    );
    process.exit(1);
  }
  const kib = (statSync(bundle).size / 1024).toFixed(0);
  process.stdout.write(
    `check-dist-runs: ${bundle} ran a pipeline in ${Date.now() - started} ms (bundle ${kib} KiB)\n`,
  );
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
