import type { IncomingHttpHeaders } from "node:http";

/** One parsed request as a route handler sees it. */
export interface FakeRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** Who the bearer token belongs to. */
  actor: Actor;
  /** Base URL of the fake, for `url`/`Link` fields. */
  baseUrl: string;
}

/** The identity behind a token. */
export interface Actor {
  login: string;
  id: number;
  type: "Bot" | "User";
  readOnly: boolean;
}

/** A response as GitHub would send it. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body` as text (the contents API's raw media type). */
  raw?: boolean;
  /** Send these bytes as they are (an artifact's zip). */
  bytes?: Buffer;
}

export type Handler = (req: FakeRequest) => Reply;

export interface Route {
  method: string;
  pattern: string;
  handler: Handler;
}

const docs = "https://docs.github.com/rest";

/** GitHub's 404 body. */
export function notFound(): Reply {
  return { status: 404, body: { message: "Not Found", documentation_url: docs, status: "404" } };
}

/** GitHub's 422 body with a bare message ("Reference already exists"). */
export function unprocessable(message: string, documentationUrl = docs): Reply {
  return { status: 422, body: { message, documentation_url: documentationUrl, status: "422" } };
}

/** GitHub's 422 "Validation Failed" body with one error entry. */
export function validationFailed(error: Record<string, unknown>, documentationUrl = docs): Reply {
  return {
    status: 422,
    body: {
      message: "Validation Failed",
      errors: [error],
      documentation_url: documentationUrl,
      status: "422",
    },
  };
}

/** GitHub's answer to a write with a token lacking the permission. */
export function notAccessible(documentationUrl = docs): Reply {
  return {
    status: 403,
    body: {
      message: "Resource not accessible by integration",
      documentation_url: documentationUrl,
      status: "403",
    },
  };
}

/** Reads a required string field of a JSON body, or undefined. */
export function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === "string" ? value : undefined;
}

/**
 * Slices `items` as GitHub pages lists: `per_page` (default 30, max 100), `page` (from 1),
 * and a `Link` header with next/last/first/prev.
 * https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api
 */
export function paginate<T>(req: FakeRequest, items: T[]): Reply {
  const perPage = Math.min(100, Math.max(1, Number(req.query.get("per_page") ?? 30) || 30));
  const page = Math.max(1, Number(req.query.get("page") ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number): string => {
    const query = new URLSearchParams(req.query);
    query.set("per_page", String(perPage));
    query.set("page", String(n));
    return `<${req.baseUrl}${req.path}?${query.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${link(page - 1)}; rel="prev"`);
  if (page < last) links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  if (page > 1) links.push(`${link(1)}; rel="first"`);
  const headers: Record<string, string> = links.length > 0 ? { link: links.join(", ") } : {};
  return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), headers };
}
