import type { Command } from "../cli-io.js";

/** Every CLI verb, in the order `--help` lists them. Each lives in its own file beside this one. */
export const commands: Command[] = [];
