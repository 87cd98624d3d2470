import { runAppOnce } from "./action-adapter.js";

// Scheduled-workflow entry: `node lib/bot/action-entry.js` with GITHUB_TOKEN in the environment.
const token = process.env.GITHUB_TOKEN ?? "";
const repository = process.env.GITHUB_REPOSITORY ?? "";
if (!token || !repository) {
  console.error(
    "hybrid-pipeline bot: set GITHUB_TOKEN (env: GITHUB_TOKEN: ${{ github.token }}) and GITHUB_REPOSITORY",
  );
  process.exitCode = 1;
} else {
  await runAppOnce({ token, repository, apiUrl: process.env.GITHUB_API_URL });
}
