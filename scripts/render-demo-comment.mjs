// Writes docs/comment.md: the pull-request comment the demo makes, produced by the CLI itself. It copies
// examples/hybrid-code-analyzer to a temporary directory (as a user's checkout), runs the demo there
// with a fresh cache directory and --report-json, and renders the report with `hybrid-pipeline report`
// (the markdown the Action posts). Run through `npm run comment:md` (which builds first);
// test/docs/comment-doc.test.ts regenerates it the same way and fails when docs/comment.md is stale.
//   node scripts/render-demo-comment.mjs            write docs/comment.md
//   node scripts/render-demo-comment.mjs --stdout   print the page instead (what the test compares)
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "bin/hybrid-pipeline.js");
const example = "examples/hybrid-code-analyzer";
const pipeline = `${example}/hybrid_code_analyzer.yaml`;
/** The demo's own mode: every routed step reports the held-out comparison it was routed on. */
const mode = "hybrid";
/**
 * A fixed seed: without --seed a run draws one (the footer prints it, and it drives the online A/B's
 * allocation and the bootstrap intervals), so two runs would not give the same comment.
 */
const seed = "0";
/** Everything above this line of docs/comment.md is the intro; everything below it is the comment. */
export const COMMENT_MARKER = "<!-- the comment, verbatim (npm run comment:md) -->";

const intro = `# The pull-request comment

This is the comment hybrid-pipeline posts on a pull request (and writes to the job summary), as the
demo makes it: \`examples/hybrid-code-analyzer\` run offline in hybrid mode, where each step with
training data is routed on the held-out comparison of its own prompt with the compiled program, and
the comment shows that comparison for every such step:

\`\`\`sh
npx hybrid-pipeline run ${pipeline} --provider sim --mode ${mode} --seed ${seed} --report-json report.json
npx hybrid-pipeline report report.json
\`\`\`

Every number in it is simulated by the offline \`sim\` provider ([sim-provider.md](sim-provider.md)): it
shows what the comment looks like, not how good a real model is. The four steps with training data get
one verdict each (better, worse, inconclusive, needs more data); the example's header says why.
Below the line is the markdown verbatim, as GitHub renders it; [comment.png](comment.png) is a picture of
it (\`npm run comment:png\`, headless Chromium). Both are generated: \`npm run comment:md\` rewrites this page
from a fresh run, and \`test/docs/comment-doc.test.ts\` fails when it is out of date.

![The demo's comment, rendered](comment.png)
`;

/** Runs the CLI in `cwd`; returns its stdout, or throws with its stderr. */
function runCli(args, cwd) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(
      `hybrid-pipeline ${args.join(" ")} exited ${result.status ?? result.signal}:\n${result.stderr}`,
    );
  return result.stdout;
}

/** The comment's markdown, from a fresh run of the demo in a temporary copy of the example. */
export function renderDemoComment() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "demo-comment-")));
  try {
    cpSync(join(root, example), join(dir, example), { recursive: true });
    runCli(
      [
        "run",
        pipeline,
        "--provider",
        "sim",
        "--mode",
        mode,
        "--seed",
        seed,
        "--quiet",
        "--cache-dir",
        join(dir, "cache"),
        "--report-json",
        "report.json",
      ],
      dir,
    );
    const markdown = runCli(["report", "report.json"], dir);
    // The page is committed: a path of this machine in it would differ on every other one.
    for (const machinePath of [dir, root, tmpdir()])
      if (markdown.includes(machinePath))
        throw new Error(`the comment holds the absolute path ${machinePath}; it must not`);
    return markdown;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** docs/comment.md: the intro, the marker line, then the comment verbatim. */
export function renderCommentDoc() {
  return `${intro}\n${COMMENT_MARKER}\n\n${renderDemoComment()}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const page = renderCommentDoc();
  if (process.argv.includes("--stdout")) process.stdout.write(page);
  else {
    const file = join(root, "docs/comment.md");
    const before = (() => {
      try {
        return readFileSync(file, "utf8");
      } catch {
        return undefined;
      }
    })();
    writeFileSync(file, page);
    console.log(before === page ? "docs/comment.md unchanged" : "wrote docs/comment.md");
  }
}
