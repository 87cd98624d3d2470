import { createHmac } from "node:crypto";
import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { BotConfigurationError, startBotServer } from "../../bot/index.js";
import { startFakeGithub, type FakeGithub } from "../support/fake-github.js";
import { appPrivateKey } from "./harness.js";

let github: FakeGithub;
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await github?.close();
});

const secret = "webhook-s3cret";

async function start() {
  github = await startFakeGithub();
  github.createRepo({ owner: "acme", repo: "empty" });
  const host = new URL(github.url).host;
  // GHE_HOST/GHE_PROTOCOL point Probot at http://HOST/api/v3, as on GitHub Enterprise Server.
  const env = {
    APP_ID: "1",
    PRIVATE_KEY: appPrivateKey(),
    WEBHOOK_SECRET: secret,
    PORT: "0",
    HOST: "127.0.0.1",
    GHE_HOST: host,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "fatal" as const,
  };
  const started = await startBotServer(env);
  server = started.server;
  return started.url;
}

function post(url: string, body: string, signature: string) {
  return fetch(`${url}/api/github/webhooks`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": "installation",
      "x-github-delivery": "d-1",
      "x-hub-signature-256": signature,
    },
  });
}

const payload = JSON.stringify({
  action: "created",
  installation: { id: 42, account: { login: "acme" } },
  repositories: [{ id: 1, name: "empty", full_name: "acme/empty", private: false }],
  sender: { login: "alice", type: "User" },
});

describe("bot: the webhook server (npm run bot)", () => {
  it("rejects a delivery whose signature does not match, and calls GitHub for none", async () => {
    const url = await start();
    const forged = `sha256=${createHmac("sha256", "not-the-secret").update(payload).digest("hex")}`;
    const response = await post(url, payload, forged);
    expect(response.status).toBe(400);
    expect(github.requests).toEqual([]);
  });

  it("handles a correctly signed delivery with an installation token", async () => {
    const url = await start();
    const response = await post(
      url,
      payload,
      `sha256=${createHmac("sha256", secret).update(payload).digest("hex")}`,
    );
    expect(response.status).toBe(200);
    expect(github.requests[0]).toMatchObject({
      method: "POST",
      path: "/app/installations/42/access_tokens",
      status: 201,
    });
    expect(github.requests.slice(1).every((r) => r.actor === "hybrid-pipeline[bot]")).toBe(true);
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toContain(
      "GET /repos/acme/empty/git/trees/" + github.repo("acme", "empty").refs.get("heads/main"),
    );
    expect(github.writeCount()).toBe(0);
  });

  it("refuses to start without the App's credentials", async () => {
    github = await startFakeGithub();
    await expect(startBotServer({ PORT: "0" })).rejects.toThrow(
      new BotConfigurationError("set APP_ID, WEBHOOK_SECRET, PRIVATE_KEY (see docs/bot.md)"),
    );
  });
});
