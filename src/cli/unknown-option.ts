import { closestMatch } from "../config/index.js";

/** The long options a command's usage text documents (`--report-json`, `--help`). */
function documentedOptions(usage: string): string[] {
  return [...new Set([...usage.matchAll(/--[a-z][a-z0-9-]*/g)].map((m) => m[0])), "--help"];
}

/**
 * The line for an option `args` holds that the command does not know: `unknown option '--repor-json';
 * did you mean --report-json?`, the suggestion being the only documented option it begins, else the
 * closest within edit distance 2. Undefined when every long option before `--` is documented (the caller then keeps
 * Node's own wording).
 */
export function unknownOptionMessage(args: readonly string[], usage: string): string | undefined {
  const known = documentedOptions(usage);
  const end = args.indexOf("--");
  for (const arg of end < 0 ? args : args.slice(0, end)) {
    if (!arg.startsWith("--")) continue;
    const name = arg.split("=")[0]!;
    if (known.includes(name)) continue;
    const extensions = known.filter((k) => k.startsWith(name));
    const suggestion = extensions.length === 1 ? extensions[0] : closestMatch(name, known);
    return `unknown option '${name}'${suggestion ? `; did you mean ${suggestion}?` : ""}`;
  }
  return undefined;
}
