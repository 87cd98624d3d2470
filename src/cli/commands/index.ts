import type { Command } from "../cli-io.js";
import { cacheCommand } from "./cache.js";
import { migrateCommand } from "./migrate.js";
import { optimizeCommand } from "./optimize.js";
import { reportCommand } from "./report.js";
import { runCommand } from "./run.js";
import { validateCommand } from "./validate.js";

/** Every CLI verb, in the order `--help` lists them. Each lives in its own file beside this one. */
export const commands: Command[] = [
  validateCommand,
  runCommand,
  optimizeCommand,
  reportCommand,
  cacheCommand,
  migrateCommand,
];
