import { Probot, type ApplicationFunction } from "probot";
import { hybridPipelineApp } from "./app.js";
import { BotOctokit } from "./octokit-defaults.js";

export interface RunOnceOptions {
  /** The job token (`GITHUB_TOKEN`): contents, pull-requests and issues write. */
  token: string;
  /** `owner/repo` (`GITHUB_REPOSITORY`). */
  repository: string;
  /** REST base URL (`GITHUB_API_URL`). @default "https://api.github.com" */
  apiUrl?: string;
  /** @default "info" */
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  /** The Octokit class (tests pass one without retries). @default BotOctokit */
  Octokit?: typeof BotOctokit;
  /** @default hybridPipelineApp */
  app?: ApplicationFunction;
}

/** `owner/repo` split, and a Probot authenticated with the job token (no App credentials in a workflow). */
export function jobProbot(options: Omit<RunOnceOptions, "app">): {
  owner: string;
  name: string;
  probot: Probot;
} {
  const [owner, name] = options.repository.split("/");
  if (!owner || !name)
    throw new TypeError(`repository must be owner/repo, got "${options.repository}"`);
  const probot = new Probot({
    githubToken: options.token,
    baseUrl: options.apiUrl ?? "https://api.github.com",
    Octokit: options.Octokit ?? BotOctokit,
    logLevel: options.logLevel ?? "info",
  });
  return { owner, name, probot };
}

/**
 * Runs the same app once over one repository from a scheduled workflow: a Probot instance
 * authenticated with the job token receives a synthesized `installation_repositories.added`
 * event for the repository, so the migration runs exactly as it does on install.
 * (Probot's own Action adapter, @probot/adapter-github-actions, depends on Probot 13.)
 */
export async function runAppOnce(options: RunOnceOptions): Promise<void> {
  const { owner, name, probot } = jobProbot(options);
  await probot.load(options.app ?? hybridPipelineApp);
  const account = { login: owner, id: 0, type: "User" };
  // Only the fields the app reads are meaningful; no `installation` key, so the job token is used as is.
  const payload = {
    action: "added",
    repositories_added: [
      { id: 0, node_id: "", name, full_name: `${owner}/${name}`, private: false },
    ],
    repositories_removed: [],
    repository_selection: "selected",
    requester: null,
    sender: account,
  };
  const event = { id: `scheduled-${Date.now()}`, name: "installation_repositories", payload };
  await probot.receive(event as unknown as Parameters<Probot["receive"]>[0]);
}
