import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  DiskTier,
  MemoryTier,
  RedisTier,
  type CacheEntry,
  type CacheTier,
} from "../src/cache/index.js";

/**
 * Get latency per cache tier, measured side by side in one run: memory : disk : Redis.
 * Each tier holds the same 64 entries (a compiled program of ~0.8 KB each); rounds alternate between
 * tiers so machine drift affects all three alike; the figure is the median round's µs per get.
 * Redis: a private redis-server on a free loopback port (or $HYBRID_PIPELINE_TEST_REDIS_URL).
 */
const ROUNDS = 7;
const GETS_PER_ROUND = 2000;
const KEYS = Array.from({ length: 64 }, (_, i) => i.toString(16).padStart(2, "0").repeat(32));

const program: CacheEntry = {
  value: {
    instructions: "Review the code for defects and answer with one of: bug, style, security.",
    demos: Array.from({ length: 8 }, (_, i) => ({
      code: `function f${i}(a, b) { return a + b * ${i}; }`,
      review: i % 2 ? "style" : "bug",
    })),
    optimizer: "bootstrap_few_shot",
    score: 0.83,
  },
  tags: ["step:analyze", "signature:code,context->review"],
  createdAt: Date.now(),
};

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  return typeof address === "object" && address ? address.port : 0;
}

async function startRedis(): Promise<{ url: string; child?: ChildProcess }> {
  const shared = process.env.HYBRID_PIPELINE_TEST_REDIS_URL;
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const failed = once(child, "error").then(() => true);
  for (let i = 0; i < 100; i++) {
    const tier = await Promise.race([
      RedisTier.connect({ url: `redis://127.0.0.1:${port}` }).catch(() => undefined),
      failed,
    ]);
    if (tier === true) break;
    if (tier) {
      await tier.close();
      return { url: `redis://127.0.0.1:${port}`, child };
    }
    await sleep(50);
  }
  child.kill("SIGKILL");
  if (shared) return { url: shared };
  throw new Error(
    "redis-server could not be started and HYBRID_PIPELINE_TEST_REDIS_URL is not set",
  );
}

async function timeGets(tier: CacheTier): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < GETS_PER_ROUND; i++) {
    if (!(await tier.get(KEYS[i % KEYS.length]!))) throw new Error(`${tier.name}: unexpected miss`);
  }
  return ((performance.now() - started) * 1000) / GETS_PER_ROUND;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const dir = await mkdtemp(join(tmpdir(), "hp-bench-cache-"));
const redis = await startRedis();
const tiers: CacheTier[] = [
  new MemoryTier(),
  new DiskTier({ dir }),
  await RedisTier.connect({ url: redis.url, namespace: `bench-${process.pid}` }),
];
try {
  for (const tier of tiers) for (const key of KEYS) await tier.set(key, program);
  for (const tier of tiers) await timeGets(tier);
  const samples = tiers.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, tier] of tiers.entries()) samples[i]!.push(await timeGets(tier));
  }
  const us = samples.map(median);
  const base = us[0]!;
  console.log(
    `cache get latency, median of ${ROUNDS} rounds x ${GETS_PER_ROUND} gets, entry ${Buffer.byteLength(JSON.stringify(program))} B`,
  );
  for (const [i, tier] of tiers.entries())
    console.log(`  ${tier.name.padEnd(12)} ${us[i]!.toFixed(2).padStart(9)} µs/get`);
  console.log(
    `  ratio memory : disk : redis = 1 : ${(us[1]! / base).toFixed(0)} : ${(us[2]! / base).toFixed(0)}`,
  );
} finally {
  for (const tier of tiers) await tier.invalidateTag("step:analyze").catch(() => 0);
  await Promise.all(tiers.map((t) => t.close()));
  redis.child?.kill("SIGTERM");
  await rm(dir, { recursive: true, force: true });
}
