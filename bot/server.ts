import { BotConfigurationError, startBotServer, webhooksPath } from "./bot-server.js";

// `npm run bot`: the webhook server (built beforehand into lib/bot/server.js).
try {
  const { url } = await startBotServer();
  console.log(`hybrid-pipeline app listening at ${url}${webhooksPath}`);
} catch (error) {
  if (!(error instanceof BotConfigurationError)) throw error;
  console.error(`hybrid-pipeline app: ${error.message}`);
  process.exitCode = 1;
}
