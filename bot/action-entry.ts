import { runAppOnce } from "./action-adapter.js";
import { promoteProgramsOnce } from "./promote-once.js";

// Scheduled-workflow entry: `node lib/bot/action-entry.js` with GITHUB_TOKEN in the environment.
// With HYBRID_PIPELINE_PROGRAMS_DIR (the job's `optimize --write` output) it proposes those programs
// in the promotion pull request instead of running the migration.
const token = process.env.GITHUB_TOKEN ?? "";
const repository = process.env.GITHUB_REPOSITORY ?? "";
const programsDir = process.env.HYBRID_PIPELINE_PROGRAMS_DIR;
if (!token || !repository) {
  console.error(
    "hybrid-pipeline bot: set GITHUB_TOKEN (env: GITHUB_TOKEN: ${{ github.token }}) and GITHUB_REPOSITORY",
  );
  process.exitCode = 1;
} else if (programsDir) {
  await promoteProgramsOnce({ token, repository, apiUrl: process.env.GITHUB_API_URL, programsDir });
} else {
  await runAppOnce({ token, repository, apiUrl: process.env.GITHUB_API_URL });
}
