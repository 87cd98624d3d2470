import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `npm run bench`: runs every compiled benchmark beside this file, one process each so that one
 * benchmark's heap and timers cannot skew the next. `npm run bench -- cache` runs those whose name contains "cache".
 */
const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? "";
const benches = readdirSync(here)
  .filter(
    (f) =>
      f.endsWith(".js") && f !== basename(fileURLToPath(import.meta.url)) && f.includes(filter),
  )
  .sort();

let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n== ${file.replace(/\.js$/, "")}\n`);
  const result = spawnSync(process.execPath, [join(here, file)], { stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
