import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted answer of the loopback server. */
export interface WireReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
  /** Send this text as the body instead of `body` as JSON (malformed answers). */
  raw?: string;
}

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** ms since the server started. */
  at: number;
  /** ms since the server started when the exchange ended (answered, or the client gave up). */
  closedAt?: number;
}

export interface WireServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP server (127.0.0.1 only) answering with `replies` in order. A request beyond the
 * script gets a 418 and is still recorded, so a test asserting the request count fails on it.
 */
export async function startWireServer(replies: WireReply[]): Promise<WireServer> {
  const requests: SeenRequest[] = [];
  const started = performance.now();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const seen: SeenRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
        at: performance.now() - started,
      };
      requests.push(seen);
      res.on("close", () => (seen.closedAt = performance.now() - started));
      const reply = replies[requests.length - 1] ?? {
        status: 418,
        body: { error: { message: "unexpected request" } },
      };
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
        res.end(reply.raw ?? JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
