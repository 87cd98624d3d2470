import type { Command } from "../cli-io.js";
import { cacheCommand } from "./cache.js";
import { migrateCommand } from "./migrate.js";
import { optimizeCommand } from "./optimize.js";
import { reportCommand } from "./report.js";
import { runCommand } from "./run.js";
import { showPromptCommand } from "./show-prompt.js";
import { validateCommand } from "./validate.js";

/** Every CLI verb, in the order `--help` lists them. Each lives in its own file beside this one. */
export const commands: Command[] = [
  validateCommand,
  runCommand,
  optimizeCommand,
  showPromptCommand,
  reportCommand,
  cacheCommand,
  migrateCommand,
];
