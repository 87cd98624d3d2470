import type { Context } from "probot";

/** The authenticated client a handler gets (`context.octokit`). */
export type GitHub = Context["octokit"];

/** A repository the bot works on. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** Is `error` an HTTP error from GitHub with this status? */
export function hasStatus(error: unknown, status: number): boolean {
  return (
    typeof error === "object" && error !== null && "status" in error && error.status === status
  );
}

/** The bot's log, as Probot hands it out (`context.log`). */
export type BotLog = Context["log"];
