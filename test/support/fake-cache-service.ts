import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback stand-in for the GitHub Actions cache service v2, speaking exactly what `@actions/cache`
 * 6.3.0 sends (read from its lib/): Twirp JSON POSTs to
 * `/twirp/github.actions.results.api.v1.CacheService/{GetCacheEntryDownloadURL,CreateCacheEntry,FinalizeCacheEntryUpload}`
 * at `ACTIONS_RESULTS_URL` (with `ACTIONS_CACHE_SERVICE_V2` set), an Azure Blob SDK upload to the signed URL
 * (a single `PUT` with `x-ms-blob-type: BlockBlob` below 128 MiB; `?comp=block`/`?comp=blocklist` too), and a plain
 * `GET` of the signed download URL (the SDK is used for downloads only on `*.blob.core.windows.net`).
 * Like GitHub it refuses a second CreateCacheEntry of one key and version (409 already_exists), and restores
 * by exact key, then by prefix (newest first) through the restore keys.
 */
export interface FakeCacheService {
  /** Base URL for `ACTIONS_RESULTS_URL` (v2) and `ACTIONS_CACHE_URL` (v1), with a trailing slash. */
  readonly url: string;
  /** "METHOD /path" (Twirp method name for RPCs), in order. */
  readonly requests: string[];
  /** Requests the fake did not expect (answered 404): a test expects this empty. */
  readonly unexpected: string[];
  /** Finalized entries, oldest first. */
  entries(): Array<{ key: string; version: string; size: number }>;
  /** When true every request is answered `500 Internal Server Error`. */
  failing: boolean;
  /** The environment a runner gives a job for this service. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

interface Entry {
  id: number;
  key: string;
  version: string;
  blob: string;
  data: Buffer | null;
  blocks: Map<string, Buffer>;
  finalized: boolean;
}

const service = "/twirp/github.actions.results.api.v1.CacheService/";

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

function twirpError(res: ServerResponse, status: number, code: string, msg: string): void {
  json(res, status, { code, msg });
}

/** Starts the fake on an ephemeral 127.0.0.1 port. */
export async function startFakeCacheService(): Promise<FakeCacheService> {
  const entries: Entry[] = [];
  const requests: string[] = [];
  const unexpected: string[] = [];
  let nextId = 1;
  const signature = randomBytes(8).toString("hex");

  function rpc(
    method: string,
    input: Record<string, unknown>,
    res: ServerResponse,
    base: string,
  ): void {
    const key = typeof input.key === "string" ? input.key : "";
    const version = typeof input.version === "string" ? input.version : "";
    if (method === "GetCacheEntryDownloadURL") {
      const restoreKeys = Array.isArray(input.restore_keys)
        ? input.restore_keys.filter((k): k is string => typeof k === "string")
        : [];
      const candidates = entries.filter((e) => e.finalized && e.version === version);
      for (const wanted of [key, ...restoreKeys]) {
        const exact = candidates.find((e) => e.key === wanted);
        const newest = exact ?? [...candidates].reverse().find((e) => e.key.startsWith(wanted));
        if (newest)
          return json(res, 200, {
            ok: true,
            signed_download_url: `${base}blob/${newest.blob}?sig=${signature}&sp=r`,
            matched_key: newest.key,
          });
      }
      return json(res, 200, { ok: false });
    }
    if (method === "CreateCacheEntry") {
      if (entries.some((e) => e.key === key && e.version === version)) {
        return twirpError(
          res,
          409,
          "already_exists",
          "cache entry with the same key, version, and scope already exists",
        );
      }
      const entry: Entry = {
        id: nextId++,
        key,
        version,
        blob: randomBytes(6).toString("hex"),
        data: null,
        blocks: new Map(),
        finalized: false,
      };
      entries.push(entry);
      return json(res, 200, {
        ok: true,
        signed_upload_url: `${base}blob/${entry.blob}?sig=${signature}&sp=cw`,
      });
    }
    if (method === "FinalizeCacheEntryUpload") {
      const entry = entries.find((e) => e.key === key && e.version === version && !e.finalized);
      if (!entry || entry.data === null)
        return twirpError(res, 404, "not_found", "no upload in progress for this key and version");
      if (String(entry.data.length) !== String(input.size_bytes))
        return twirpError(res, 400, "invalid_argument", "size_bytes does not match the upload");
      entry.finalized = true;
      return json(res, 200, { ok: true, entry_id: String(entry.id) });
    }
    unexpected.push(`POST ${service}${method}`);
    twirpError(res, 404, "bad_route", `no handler for ${method}`);
  }

  function blob(req: IncomingMessage, res: ServerResponse, url: URL, data: Buffer): void {
    const entry = entries.find((e) => url.pathname === `/blob/${e.blob}`);
    if (!entry || url.searchParams.get("sig") !== signature) {
      res.writeHead(403, { "x-ms-error-code": "AuthenticationFailed" });
      return void res.end();
    }
    const headers = {
      etag: `"0x${entry.id}"`,
      "last-modified": new Date(0).toUTCString(),
      "x-ms-request-id": `req-${entry.id}`,
      "x-ms-version": "2025-01-05",
    };
    if (req.method === "GET" && entry.finalized && entry.data) {
      res.writeHead(200, {
        ...headers,
        "content-length": String(entry.data.length),
        "content-type": "application/octet-stream",
      });
      return void res.end(entry.data);
    }
    const comp = url.searchParams.get("comp");
    if (req.method === "PUT" && !entry.finalized && comp === "block") {
      entry.blocks.set(url.searchParams.get("blockid") ?? "", data);
      res.writeHead(201, headers);
      return void res.end();
    }
    if (req.method === "PUT" && !entry.finalized && comp === "blocklist") {
      const ids = [
        ...data.toString("utf8").matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]+)</g),
      ].map((m) => m[1]!);
      entry.data = Buffer.concat(ids.map((id) => entry.blocks.get(id) ?? Buffer.alloc(0)));
      res.writeHead(201, headers);
      return void res.end();
    }
    if (req.method === "PUT" && !entry.finalized && req.headers["x-ms-blob-type"] === "BlockBlob") {
      entry.data = data;
      res.writeHead(201, headers);
      return void res.end();
    }
    unexpected.push(`${req.method} ${url.pathname}?comp=${comp ?? ""}`);
    res.writeHead(400, { "x-ms-error-code": "InvalidOperation" });
    res.end();
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", fake.url);
    body(req).then(
      (data) => {
        const method = url.pathname.startsWith(service) ? url.pathname.slice(service.length) : "";
        requests.push(
          method
            ? method
            : `${req.method} ${url.pathname}${url.searchParams.has("comp") ? `?comp=${url.searchParams.get("comp")}` : ""}`,
        );
        if (fake.failing)
          return json(res, 500, { code: "internal", msg: "the cache service is failing (fake)" });
        if (method && req.method === "POST") {
          if (!/^Bearer .+/.test(req.headers.authorization ?? ""))
            return twirpError(res, 401, "unauthenticated", "missing runtime token");
          return rpc(
            method,
            JSON.parse(data.toString("utf8") || "{}") as Record<string, unknown>,
            res,
            fake.url,
          );
        }
        if (url.pathname.startsWith("/blob/")) return blob(req, res, url, data);
        unexpected.push(`${req.method} ${url.pathname}`);
        res.writeHead(404);
        res.end();
      },
      () => {
        res.writeHead(400);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeCacheService = {
    url: `http://127.0.0.1:${port}/`,
    requests,
    unexpected,
    failing: false,
    entries: () =>
      entries
        .filter((e) => e.finalized)
        .map((e) => ({ key: e.key, version: e.version, size: e.data?.length ?? 0 })),
    env: () => ({
      ACTIONS_RESULTS_URL: fake.url,
      ACTIONS_CACHE_URL: fake.url,
      ACTIONS_CACHE_SERVICE_V2: "true",
      ACTIONS_RUNTIME_TOKEN: "fake-runtime-token",
    }),
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
  return fake;
}
