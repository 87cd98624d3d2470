import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gitRoutes } from "./fake-github/git-routes.js";
import type { Actor, FakeRequest, Reply, Route } from "./fake-github/http.js";
import { issueRoutes } from "./fake-github/issue-routes.js";
import { artifactRoutes } from "./fake-github/artifact-routes.js";
import { pullRoutes } from "./fake-github/pull-routes.js";
import { repoRoutes } from "./fake-github/repo-routes.js";
import { FakeRepo, type FakeComment, type FakeUser, type World } from "./fake-github/state.js";

export {
  FakeRepo,
  type FakeComment,
  type FakeIssue,
  type FakeLabel,
  type FakeUser,
} from "./fake-github/state.js";
export type { Reply } from "./fake-github/http.js";

/** One request the fake answered. */
export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  actor: string;
}

/** A failure to inject: the next `times` requests matching `method` and `path` get `reply`. */
export interface FaultRule {
  method?: string;
  path: RegExp;
  times?: number;
  reply: "secondary-rate-limit" | "too-many-requests" | Reply;
  /** Seconds, sent as `retry-after` for the rate-limit replies. @default 1 */
  retryAfter?: number;
}

export interface FakeGithubOptions {
  /** Every token may read but not write (GitHub's answer for a read-only GITHUB_TOKEN). @default false */
  readOnly?: boolean;
  /** App slug; installation tokens act as `<slug>[bot]`. @default "hybrid-pipeline" */
  appSlug?: string;
  /** Delay before answering each request, so concurrent clients interleave. @default 0 */
  delayMs?: number;
}

/** A stateful GitHub REST stand-in on 127.0.0.1, with GitHub's response and error bodies. */
export interface FakeGithub {
  /** `http://127.0.0.1:PORT`: use as the Octokit `baseUrl` / `GITHUB_API_URL`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Requests that matched no route (answered 404): a test expects this empty. */
  readonly unexpected: string[];
  readOnly: boolean;
  /** The app's bot user (author of the bot's comments and pull requests). */
  readonly appUser: FakeUser;
  createRepo(options: {
    owner: string;
    repo: string;
    defaultBranch?: string;
    files?: Record<string, string>;
  }): FakeRepo;
  repo(owner: string, repo: string): FakeRepo;
  /** Opens an issue and returns its number. */
  createIssue(owner: string, repo: string, title?: string): number;
  addComment(
    owner: string,
    repo: string,
    issueNumber: number,
    body: string,
    user?: FakeUser,
  ): FakeComment;
  /** Closes a pull request, merging it first when `merged`. */
  closePullRequest(
    owner: string,
    repo: string,
    number: number,
    options?: { merged?: boolean },
  ): void;
  /** A user with `permission` on the repository ("admin" | "write" | "read" ...). */
  createUser(login: string): FakeUser;
  /** Registers `token` as acting for `user` (unknown tokens act as github-actions[bot]). */
  addToken(token: string, user: FakeUser, options?: { readOnly?: boolean }): void;
  failNext(rule: FaultRule): void;
  /** Non-GET requests answered with a 2xx status. */
  writeCount(): number;
  close(): Promise<void>;
}

const secondaryMessage =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.";

function faultReply(rule: FaultRule): Reply {
  const retryAfter = String(rule.retryAfter ?? 1);
  const docs =
    "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits";
  if (rule.reply === "secondary-rate-limit") {
    return {
      status: 403,
      headers: { "retry-after": retryAfter },
      body: { message: secondaryMessage, documentation_url: docs, status: "403" },
    };
  }
  if (rule.reply === "too-many-requests") {
    return {
      status: 429,
      headers: { "retry-after": retryAfter },
      body: { message: secondaryMessage, documentation_url: docs, status: "429" },
    };
  }
  return rule.reply;
}

function compile(pattern: string): RegExp {
  return new RegExp(
    `^${pattern.replace(/:(\w+)\*/g, "(?<$1>.+)").replace(/:(\w+)/g, "(?<$1>[^/]+)")}$`,
  );
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

/** Starts the fake on an ephemeral loopback port. */
export async function startFakeGithub(options: FakeGithubOptions = {}): Promise<FakeGithub> {
  let id = 1000;
  let clock = Date.UTC(2026, 0, 1);
  const world: World = {
    repos: new Map(),
    nextId: () => ++id,
    now: () => new Date((clock += 1000)).toISOString(),
  };
  const appUser: FakeUser = {
    login: `${options.appSlug ?? "hybrid-pipeline"}[bot]`,
    id: 9_000_001,
    type: "Bot",
  };
  const actionsUser: FakeUser = { login: "github-actions[bot]", id: 41898282, type: "Bot" };
  const tokens = new Map<string, { user: FakeUser; readOnly: boolean }>();
  const faults: FaultRule[] = [];
  const requests: RecordedRequest[] = [];
  const unexpected: string[] = [];
  const routes = [
    ...repoRoutes(world, {
      issueToken: (token) => tokens.set(token, { user: appUser, readOnly: false }),
    }),
    ...issueRoutes(world),
    ...gitRoutes(world),
    ...pullRoutes(world),
    ...artifactRoutes(world),
  ].map((route: Route) => ({ ...route, regex: compile(route.pattern) }));

  function actorFor(authorization: string | undefined): Actor {
    const token = authorization?.replace(/^(token|bearer)\s+/i, "") ?? "";
    const known = tokens.get(token);
    const user = known?.user ?? actionsUser;
    return { ...user, readOnly: fake.readOnly || (known?.readOnly ?? false) };
  }

  async function answer(
    req: IncomingMessage,
    baseUrl: string,
  ): Promise<{ reply: Reply; method: string; path: string; actor: Actor }> {
    const url = new URL(req.url ?? "/", baseUrl);
    const method = req.method ?? "GET";
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v3/, ""));
    const actor = actorFor(req.headers.authorization);
    const body = await readBody(req);
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const fault = faults.find((f) => (f.method ?? method) === method && f.path.test(path));
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
      return { reply: faultReply(fault), method, path, actor };
    }
    for (const route of routes) {
      const match = route.method === method ? route.regex.exec(path) : null;
      if (!match) continue;
      const request: FakeRequest = {
        method,
        path,
        params: { ...match.groups },
        query: url.searchParams,
        body,
        headers: req.headers,
        actor,
        baseUrl,
      };
      return { reply: route.handler(request), method, path, actor };
    }
    unexpected.push(`${method} ${path}`);
    return {
      reply: {
        status: 404,
        body: {
          message: "Not Found",
          documentation_url: "https://docs.github.com/rest",
          status: "404",
        },
      },
      method,
      path,
      actor,
    };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    answer(req, fake.url).then(
      ({ reply, method, path, actor }) => {
        requests.push({ method, path, status: reply.status, actor: actor.login });
        const text =
          reply.body === undefined
            ? ""
            : reply.raw
              ? String(reply.body)
              : JSON.stringify(reply.body);
        const type = reply.bytes
          ? "application/zip"
          : reply.raw
            ? "application/vnd.github.raw; charset=utf-8"
            : "application/json; charset=utf-8";
        res.writeHead(reply.status, {
          "content-type": type,
          "x-github-request-id": "0000:FAKE",
          ...reply.headers,
        });
        res.end(reply.bytes ?? (reply.status === 204 ? undefined : text));
      },
      (error: unknown) => {
        res.writeHead(400, { "content-type": "application/json; charset=utf-8" });
        res.end(
          JSON.stringify({ message: `Problems parsing JSON: ${String(error)}`, status: "400" }),
        );
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeGithub = {
    url: `http://127.0.0.1:${port}`,
    requests,
    unexpected,
    readOnly: options.readOnly ?? false,
    appUser,
    createRepo({ owner, repo, defaultBranch = "main", files = { "README.md": `# ${repo}\n` } }) {
      const created = new FakeRepo(owner, repo, world.nextId(), defaultBranch);
      created.commitFiles(
        defaultBranch,
        files,
        "Initial commit",
        { login: owner, id: world.nextId(), type: "User" },
        world.now(),
      );
      world.repos.set(`${owner}/${repo}`.toLowerCase(), created);
      return created;
    },
    repo(owner, repo) {
      const found = world.repos.get(`${owner}/${repo}`.toLowerCase());
      if (!found) throw new Error(`fake-github: no repository ${owner}/${repo}`);
      return found;
    },
    createIssue(owner, repo, title = "An issue") {
      const target = fake.repo(owner, repo);
      const number = target.nextNumber++;
      target.issues.set(number, {
        number,
        title,
        body: null,
        state: "open",
        user: { login: owner, id: 1, type: "User" },
        labels: [],
      });
      return number;
    },
    addComment(owner, repo, issueNumber, body, user = { login: owner, id: 1, type: "User" }) {
      const now = world.now();
      const comment: FakeComment = {
        id: world.nextId(),
        issueNumber,
        body,
        user,
        createdAt: now,
        updatedAt: now,
      };
      fake.repo(owner, repo).comments.push(comment);
      return comment;
    },
    closePullRequest(owner, repo, number, closeOptions = {}) {
      fake
        .repo(owner, repo)
        .closePull(number, { merged: closeOptions.merged ?? false, now: world.now() });
    },
    createUser(login) {
      return { login, id: world.nextId(), type: "User" };
    },
    addToken(token, user, tokenOptions = {}) {
      tokens.set(token, { user, readOnly: tokenOptions.readOnly ?? false });
    },
    failNext(rule) {
      faults.push({ ...rule });
    },
    writeCount() {
      return requests.filter(
        (r) => r.method !== "GET" && r.status < 300 && !r.path.startsWith("/app/"),
      ).length;
    },
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
  return fake;
}
