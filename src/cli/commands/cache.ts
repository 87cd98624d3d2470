import { parseArgs } from "node:util";
import {
  CacheTierError,
  DEFAULT_CACHE_DIR,
  isOptimizationFrequency,
  maxAgeFor,
  openCacheTiers,
  REDIS_URL_ENV,
  type CacheTier,
  type DiskTier,
  type ListedEntry,
} from "../../engine/index.js";
import { ExitCode, UsageError, type CliIo, type Command } from "../cli-io.js";

const usage = `Usage: hybrid-pipeline cache <stats|list|invalidate STEP_OR_HASH|prune> [options]

Inspects and maintains the optimization cache: the disk tier (the directory the Action saves
with actions/cache) and, when a Redis URL is given, the distributed tier.

Subcommands:
  stats                  entries and bytes per tier
  list                   every entry: key, tiers, age, size, tags; corrupt entries are listed
                         and marked, not deleted
  invalidate STEP_OR_HASH
                         NAME: entries of step NAME (tag step:NAME); TAG:VALUE: entries with that
                         tag (e.g. signature:abc); a hex prefix of 6+ characters: entries whose key
                         starts with it
  prune                  drop corrupt entries, what squats on an entry's name (directories,
                         links), temp files left by interrupted runs (older than --max-age,
                         default 10m) and (with --max-age/--frequency) expired entries; enforce
                         the disk size cap

Options:
  --cache-dir DIR        cache directory (default: ${DEFAULT_CACHE_DIR})
  --redis-url URL        Redis of the distributed tier (default: $${REDIS_URL_ENV})
  --namespace NS         Redis key prefix (default: hybrid-pipeline)
  --max-age DURATION     prune: entries older than this, e.g. 90m, 12h, 7d, 2w
  --frequency F          prune: the age an optimization_frequency allows (daily|weekly|monthly)
  --max-bytes N          prune: disk size cap in bytes (default: 268435456)
  --json                 stats, list: print JSON

Exit codes: 0 done, 1 a tier failed (e.g. Redis unreachable), 2 usage error.`;

const UNITS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

function parseDuration(text: string): number {
  const match = /^(\d+)([smhdw])$/.exec(text);
  if (!match)
    throw new UsageError(
      `--max-age: expected a number and a unit (s, m, h, d, w), e.g. 7d; got '${text}'`,
    );
  return Number(match[1]) * UNITS[match[2]!]!;
}

function formatAge(ms: number): string {
  const [unit, size] = Object.entries(UNITS)
    .reverse()
    .find(([, size]) => ms >= size) ?? ["s", 1000];
  return `${Math.floor(ms / size)}${unit}`;
}

interface Tiers {
  tiers: CacheTier[];
  failed: boolean;
  disk: DiskTier;
}

async function openTiers(
  values: { "cache-dir"?: string; "redis-url"?: string; namespace?: string; "max-bytes"?: string },
  io: CliIo,
): Promise<Tiers> {
  const maxBytes = values["max-bytes"] === undefined ? undefined : Number(values["max-bytes"]);
  if (maxBytes !== undefined && !(Number.isInteger(maxBytes) && maxBytes > 0))
    throw new UsageError(`--max-bytes: expected a positive integer, got '${values["max-bytes"]}'`);
  const url = values["redis-url"] ?? io.env[REDIS_URL_ENV];
  const opened = await openCacheTiers({
    cwd: io.cwd,
    ...(values["cache-dir"] ? { cacheDir: values["cache-dir"] } : {}),
    ...(url ? { redisUrl: url } : {}),
    ...(values.namespace ? { namespace: values.namespace } : {}),
    ...(maxBytes !== undefined ? { maxBytes } : {}),
  });
  if (opened.failure !== undefined)
    io.stderr(`hybrid-pipeline cache: distributed tier unavailable: ${opened.failure}\n`);
  return { tiers: opened.tiers, failed: opened.failure !== undefined, disk: opened.disk };
}

/** Runs `op` on every tier; a tier that fails is reported on stderr and marks the command failed. */
async function eachTier<R>(
  opened: Tiers,
  io: CliIo,
  op: (tier: CacheTier) => Promise<R>,
  tiers = opened.tiers,
): Promise<Array<[CacheTier, R]>> {
  const results: Array<[CacheTier, R]> = [];
  for (const tier of tiers) {
    try {
      results.push([tier, await op(tier)]);
    } catch (error) {
      if (!(error instanceof CacheTierError)) throw error;
      io.stderr(`hybrid-pipeline cache: ${tier.name} tier failed: ${error.message}\n`);
      opened.failed = true;
    }
  }
  return results;
}

async function invalidate(target: string, tier: CacheTier): Promise<number> {
  if (target.includes(":")) return tier.invalidateTag(target);
  if (!/^[a-f0-9]{6,64}$/.test(target)) return tier.invalidateTag(`step:${target}`);
  const doomed = (await tier.list!()).filter((e) => e.key.startsWith(target));
  for (const entry of doomed) await tier.delete(entry.key);
  return doomed.length;
}

function listing(results: Array<[CacheTier, ListedEntry[]]>, now: number) {
  const byKey = new Map<
    string,
    {
      key: string;
      tiers: string[];
      created_at: string;
      age_ms: number;
      bytes: number;
      tags: string[];
      corrupt?: string;
    }
  >();
  for (const [tier, entries] of results) {
    for (const e of entries) {
      const row = (e.corrupt === undefined ? byKey.get(e.key) : undefined) ?? {
        key: e.key,
        tiers: [],
        created_at: new Date(e.createdAt).toISOString(),
        age_ms: Math.max(0, now - e.createdAt),
        bytes: e.bytes,
        tags: e.tags,
        ...(e.corrupt === undefined ? {} : { corrupt: e.corrupt }),
      };
      row.tiers.push(tier.name);
      // A corrupt copy gets a row of its own: the key's sound copies in other tiers stay usable.
      byKey.set(e.corrupt === undefined ? e.key : `${e.key} ${tier.name}`, row);
    }
  }
  return [...byKey.values()].sort((a, b) => a.age_ms - b.age_ms || a.key.localeCompare(b.key));
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      "cache-dir": { type: "string" },
      "redis-url": { type: "string" },
      namespace: { type: "string" },
      "max-age": { type: "string" },
      frequency: { type: "string" },
      "max-bytes": { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const [sub, target, ...extra] = positionals;
  if (!sub || !["stats", "list", "invalidate", "prune"].includes(sub))
    throw new UsageError(sub ? `unknown subcommand '${sub}'` : "missing subcommand");
  if (sub === "invalidate" && !target)
    throw new UsageError("invalidate needs STEP_OR_HASH (a step name, TAG:VALUE or a key prefix)");
  if (extra.length > 0 || (sub !== "invalidate" && target))
    throw new UsageError(`unexpected argument '${sub === "invalidate" ? extra[0] : target}'`);
  let maxAgeMs: number | undefined;
  if (values["max-age"] !== undefined) maxAgeMs = parseDuration(values["max-age"]);
  else if (values.frequency !== undefined) {
    if (
      !isOptimizationFrequency(values.frequency) ||
      !Number.isFinite(maxAgeFor(values.frequency))
    ) {
      throw new UsageError(
        `--frequency: expected daily, weekly or monthly, got '${values.frequency}'`,
      );
    }
    maxAgeMs = maxAgeFor(values.frequency);
  }

  const opened = await openTiers(values, io);
  const now = Date.now();
  try {
    if (sub === "stats") {
      const stats = await eachTier(opened, io, (t) => t.stats());
      if (values.json)
        io.stdout(
          `${JSON.stringify(Object.fromEntries(stats.map(([t, s]) => [t.name, { entries: s.entries, bytes: s.bytes }])), null, 2)}\n`,
        );
      else
        for (const [t, s] of stats)
          io.stdout(`${t.name}: ${s.entries} entries, ${s.bytes} bytes\n`);
    } else if (sub === "list") {
      const rows = listing(await eachTier(opened, io, (t) => t.list!()), now);
      const corrupt = rows.filter((r) => r.corrupt !== undefined).length;
      if (values.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      else {
        const line = (cells: string[]) =>
          `${cells[0]!.padEnd(16)}  ${cells[1]!.padEnd(16)}  ${cells[2]!.padStart(4)}  ${cells[3]!.padStart(9)}  ${cells[4]}`.trimEnd();
        const tags = (r: (typeof rows)[number]) =>
          r.corrupt === undefined ? r.tags.join(" ") : `CORRUPT: ${r.corrupt}`;
        io.stdout(
          `${[line(["key", "tiers", "age", "bytes", "tags"]), ...rows.map((r) => line([r.key.slice(0, 16), r.tiers.join(","), formatAge(r.age_ms), String(r.bytes), tags(r)]))].join("\n")}\n`,
        );
        if (corrupt > 0)
          io.stdout(
            `${corrupt} corrupt ${corrupt === 1 ? "entry" : "entries"}: \`hybrid-pipeline cache prune\` removes them\n`,
          );
      }
    } else if (sub === "invalidate") {
      const counts = await eachTier(opened, io, (t) => invalidate(target!, t));
      const total = Math.max(0, ...counts.map(([, n]) => n));
      io.stdout(
        `invalidated ${total} ${total === 1 ? "entry" : "entries"} (${counts.map(([t, n]) => `${t.name} ${n}`).join(", ")})\n`,
      );
    } else {
      const result = await opened.disk.prune({ maxAgeMs, now }).catch((error: unknown) => {
        if (!(error instanceof CacheTierError)) throw error;
        io.stderr(`hybrid-pipeline cache: disk tier failed: ${error.message}\n`);
        opened.failed = true;
      });
      if (result)
        io.stdout(
          `disk: removed ${result.expired} expired, ${result.corrupt} corrupt, ${result.notFiles} not regular files, ${result.evicted} over the size cap, ${result.tempFiles} stale temp files\n`,
        );
      const remote = opened.tiers.filter((t) => t !== opened.disk);
      for (const [t, removed] of await eachTier(
        opened,
        io,
        (t) => pruneRemote(t, maxAgeMs, now),
        remote,
      )) {
        io.stdout(`${t.name}: removed ${removed.expired} expired, ${removed.corrupt} corrupt\n`);
      }
    }
  } finally {
    await Promise.all(opened.tiers.map((t) => t.close()));
  }
  return opened.failed ? ExitCode.failed : ExitCode.ok;
}

async function pruneRemote(
  tier: CacheTier,
  maxAgeMs: number | undefined,
  now: number,
): Promise<{ expired: number; corrupt: number }> {
  const listed = await tier.list!();
  const corrupt = listed.filter((e) => e.corrupt !== undefined);
  const expired = listed.filter(
    (e) => e.corrupt === undefined && maxAgeMs !== undefined && now - e.createdAt > maxAgeMs,
  );
  for (const entry of [...corrupt, ...expired]) await tier.delete(entry.key);
  return { expired: expired.length, corrupt: corrupt.length };
}

/** `hybrid-pipeline cache`: stats, list, invalidate and prune the optimization cache. */
export const cacheCommand: Command = {
  name: "cache",
  summary: "inspect, invalidate and prune the optimization cache",
  usage,
  run,
};
