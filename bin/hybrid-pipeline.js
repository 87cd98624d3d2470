#!/usr/bin/env node
import { existsSync } from "node:fs";

const entry = new URL("../lib/src/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  // A git checkout builds lib/ on `npm ci` (the `prepare` script); a copy without it cannot run.
  console.error(
    "hybrid-pipeline: the CLI is not built (lib/ is missing). Run `npm ci` (or `npm run build`) in the hybrid-pipeline checkout, then try again.",
  );
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
