import { generateKeyPairSync, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Probot } from "probot";
import { BotOctokit, hybridPipelineApp } from "../../bot/index.js";
import {
  startFakeGithub,
  type FakeGithub,
  type FakeRepo,
  type FakeUser,
} from "../support/fake-github.js";
import { pipelineExFixtures } from "../support/corpus.js";

/** A pipeline_ex file tests name, from our copies (test/fixtures/pipeline_ex), so any clone has it. */
export function corpusFile(path: string): string {
  return readFileSync(join(pipelineExFixtures, path), "utf8");
}

let key: string | undefined;

/** An RSA key in the PKCS#1 PEM form GitHub hands out for Apps (made once per test file). */
export function appPrivateKey(): string {
  key ??= generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs1", format: "pem" })
    .toString();
  return key;
}

export type Delivery = Parameters<Probot["receive"]>[0];

/** A Probot instance (one app replica) with the app loaded, talking to `github`. */
export async function loadApp(
  github: FakeGithub,
  throttle: Record<string, unknown> = { enabled: false },
): Promise<Probot> {
  const Octokit = BotOctokit.defaults((o: ConstructorParameters<typeof BotOctokit>[0] = {}) => ({
    ...o,
    baseUrl: github.url,
    retry: { enabled: false },
    throttle: { ...o.throttle, ...throttle },
  }));
  const probot = new Probot({ appId: 1, privateKey: appPrivateKey(), Octokit, logLevel: "fatal" });
  await probot.load(hybridPipelineApp);
  return probot;
}

export interface Harness {
  github: FakeGithub;
  probot: Probot;
  repo: FakeRepo;
  /** Delivers an event as GitHub would (no signature: `receive`). */
  deliver(name: string, payload: Record<string, unknown>): Promise<void>;
  /** Delivers the installation event (to another replica when `probot` is given). */
  install(probot?: Probot): Promise<void>;
  push(files: Record<string, string | null>, author?: FakeUser): Promise<void>;
  comment(issueNumber: number, body: string, user: FakeUser): Promise<void>;
  closed(pullNumber: number): Promise<void>;
  close(): Promise<void>;
}

const installation = { id: 42, account: { login: "acme", id: 1, type: "Organization" } };

/** A fake GitHub with repository acme/pipelines holding `files`, and the app loaded into Probot. */
export async function startHarness(
  files: Record<string, string>,
  options: { throttle?: Record<string, unknown>; delayMs?: number } = {},
): Promise<Harness> {
  const github = await startFakeGithub({ delayMs: options.delayMs });
  const repo = github.createRepo({ owner: "acme", repo: "pipelines", files });
  const probot = await loadApp(github, options.throttle);
  const repository = () => ({
    id: repo.id,
    name: "pipelines",
    full_name: "acme/pipelines",
    owner: { login: "acme", id: 1, type: "Organization" },
    default_branch: repo.defaultBranch,
    private: false,
  });
  const alice: FakeUser = { login: "alice", id: 7, type: "User" };
  const harness: Harness = {
    github,
    probot,
    repo,
    deliver: (name, payload) =>
      probot.receive({ id: randomUUID(), name, payload } as unknown as Delivery),
    install: (replica = probot) =>
      replica.receive({
        id: randomUUID(),
        name: "installation",
        payload: {
          action: "created",
          installation,
          repositories: [
            { id: repo.id, name: "pipelines", full_name: "acme/pipelines", private: false },
          ],
          sender: alice,
        },
      } as unknown as Delivery),
    async push(changes, author = alice) {
      const before = repo.refs.get(`heads/${repo.defaultBranch}`)!;
      const after = repo.commitFiles(
        repo.defaultBranch,
        changes,
        "Edit pipelines",
        author,
        new Date().toISOString(),
      );
      const paths = Object.keys(changes);
      const commit = {
        id: after,
        message: "Edit pipelines",
        added: paths.filter((p) => changes[p] !== null),
        modified: [],
        removed: paths.filter((p) => changes[p] === null),
      };
      await harness.deliver("push", {
        ref: `refs/heads/${repo.defaultBranch}`,
        before,
        after,
        deleted: false,
        created: false,
        commits: [commit],
        head_commit: commit,
        repository: repository(),
        installation,
        sender: author,
      });
    },
    comment: (issueNumber, body, user) =>
      harness.deliver("issue_comment", {
        action: "created",
        issue: { number: issueNumber, title: "x", state: "open", user },
        comment: { id: 1, body, user },
        repository: repository(),
        installation,
        sender: user,
      }),
    async closed(pullNumber) {
      const pull = repo.issues.get(pullNumber)!;
      await harness.deliver("pull_request", {
        action: "closed",
        number: pullNumber,
        pull_request: {
          number: pullNumber,
          state: "closed",
          merged: pull.pull!.merged,
          body: pull.body,
          head: { ref: pull.pull!.head },
          base: { ref: pull.pull!.base },
          user: { login: github.appUser.login, type: "Bot" },
        },
        repository: repository(),
        installation,
        sender: alice,
      });
    },
    close: () => github.close(),
  };
  return harness;
}

/** The files of `branch` that differ from the default branch. */
export function changedOnBranch(repo: FakeRepo, branch: string): string[] {
  const tree = (ref: string) =>
    repo.git.filesOf(repo.git.commits.get(repo.refs.get(`heads/${ref}`)!)!.tree)!;
  const head = tree(branch);
  const base = tree(repo.defaultBranch);
  return [...head.keys()].filter((path) => base.get(path)?.sha !== head.get(path)?.sha).sort();
}
