import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, createProbot } from "probot";
import { hybridPipelineApp } from "./app.js";
import { BotOctokit } from "./octokit-defaults.js";

/** Where GitHub delivers webhooks. */
export const webhooksPath = "/api/github/webhooks";

/** Thrown when the environment lacks what an App server needs. */
export class BotConfigurationError extends Error {
  override readonly name = "BotConfigurationError";
  readonly code = "BOT_ENV";
}

/**
 * Starts the webhook server as Probot apps deploy: `createProbot()` reads APP_ID,
 * PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET, GHE_HOST/GHE_PROTOCOL, LOG_LEVEL; the
 * server listens on PORT (default 3000) and HOST. Signatures are verified by the middleware
 * (a bad `x-hub-signature-256` gets 400); deliveries taking over 9 s are answered 202 early.
 * @throws BotConfigurationError when APP_ID, WEBHOOK_SECRET or the private key is missing.
 */
export async function startBotServer(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ server: Server; url: string }> {
  const missing = ["APP_ID", "WEBHOOK_SECRET"].filter((name) => !env[name]);
  if (!env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH) missing.push("PRIVATE_KEY");
  if (missing.length > 0)
    throw new BotConfigurationError(`set ${missing.join(", ")} (see docs/bot.md)`);
  const probot = createProbot({ env, overrides: { Octokit: BotOctokit } });
  const middleware = await createNodeMiddleware(hybridPipelineApp, { probot, webhooksPath });
  const server = createServer((req, res) => {
    void middleware(req, res, () => {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
    });
  });
  const port = Number(env.PORT ?? 3000);
  await new Promise<void>((resolve) => server.listen(port, env.HOST, resolve));
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return { server, url: `http://${host}:${address.port}` };
}
