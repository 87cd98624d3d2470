import { generateKeyPairSync, randomUUID } from "node:crypto";
import { Probot } from "probot";
import { BotOctokit, hybridPipelineApp } from "../bot/index.js";
import { startFakeGithub } from "../test/support/fake-github.js";

/**
 * Write API calls (non-GET requests that succeeded, token requests excluded) the bot makes to
 * open its migration pull request for a repository with 1 vs 100 pipeline files, measured
 * side by side against the loopback GitHub stand-in; then a redelivery of the same event.
 */
const pipeline = (i: number) => `workflow:
  name: review_${i}
  steps:
    - name: analyze
      type: claude
      prompt:
        - type: static
          content: "Review module ${i} for defects and list them."
`;

const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();

async function measure(files: number) {
  const github = await startFakeGithub();
  const contents = Object.fromEntries(
    Array.from({ length: files }, (_, i) => [`pipelines/p${i}/review.yaml`, pipeline(i)]),
  );
  const repo = github.createRepo({
    owner: "acme",
    repo: "bench",
    files: { "README.md": "# bench\n", ...contents },
  });
  const Octokit = BotOctokit.defaults((o: ConstructorParameters<typeof BotOctokit>[0] = {}) => ({
    ...o,
    baseUrl: github.url,
    retry: { enabled: false },
    throttle: { ...o.throttle, enabled: false },
  }));
  const probot = new Probot({ appId: 1, privateKey, Octokit, logLevel: "fatal" });
  await probot.load(hybridPipelineApp);
  const event = {
    name: "installation",
    payload: {
      action: "created",
      installation: { id: 1, account: { login: "acme" } },
      repositories: [{ id: repo.id, name: "bench", full_name: "acme/bench", private: false }],
      sender: { login: "alice", type: "User" },
    },
  };
  const started = performance.now();
  await probot.receive({ id: randomUUID(), ...event } as unknown as Parameters<
    Probot["receive"]
  >[0]);
  const ms = performance.now() - started;
  const writes = github.writeCount();
  const reads = github.requests.filter((r) => r.method === "GET").length;
  const migrated = repo.commitsAhead("hybrid-pipeline/migrate").length === 1 ? files : 0;
  await probot.receive({ id: randomUUID(), ...event } as unknown as Parameters<
    Probot["receive"]
  >[0]);
  const redeliveryWrites = github.writeCount() - writes;
  await github.close();
  return { files, migrated, writes, reads, redeliveryWrites, ms: Math.round(ms) };
}

const one = await measure(1);
const hundred = await measure(100);
console.log(
  "pipeline files | migrated | write calls | read calls | writes on redelivery | time (ms, loopback)",
);
for (const r of [one, hundred])
  console.log(
    `${r.files} | ${r.migrated} | ${r.writes} | ${r.reads} | ${r.redeliveryWrites} | ${r.ms}`,
  );
console.log(`write calls, 100 files / 1 file: ${(hundred.writes / one.writes).toFixed(2)}`);
