import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import path from "node:path";
import { rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisSkipReason, startRedisServer, type TestRedis } from "../support/redis-server.js";
import { ANALYZER, exampleDir, readReport, startCli } from "./cli-process.js";

const skip = redisSkipReason({ needsOwnServer: true });
const LOCKS = "hybrid-pipeline:v1:lock:*";

let redis: TestRedis;
let client: Redis;
/** An OpenAI-compatible server that accepts every request and never answers: a hung model. */
let hung: Server;
const sockets = new Set<Socket>();
let baseUrl: string;
const dirs: string[] = [];

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = performance.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const heldLock = async () => (await client.keys(LOCKS))[0];

async function startRun() {
  const dir = await exampleDir();
  dirs.push(dir);
  const args = ["run", ANALYZER, "--provider", "openai", "--cache-dir", "cache"];
  const run = startCli([...args, "--redis-url", redis.url, "--report-json", "report.json"], {
    cwd: dir,
    env: { OPENAI_API_KEY: "sk-test-key", OPENAI_BASE_URL: baseUrl },
  });
  return { ...run, dir };
}

describe.skipIf(skip !== undefined)(
  `a run stopped by a signal (${skip ?? "real redis-server, hung model server"})`,
  () => {
    beforeAll(async () => {
      redis = await startRedisServer();
      client = new Redis(redis.url);
      hung = createServer(() => {});
      hung.on("connection", (s) => (sockets.add(s), s.on("close", () => sockets.delete(s))));
      hung.listen(0, "127.0.0.1");
      await once(hung, "listening");
      const address = hung.address();
      if (address === null || typeof address === "string") throw new Error("no port");
      baseUrl = `http://127.0.0.1:${address.port}/v1`;
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      hung.close();
      client.disconnect();
      await redis.stop();
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    });

    it.each([
      ["SIGTERM", 143],
      ["SIGINT", 130],
    ] as const)(
      "%s: exits %i at once, releases its compile lock and writes a partial report",
      async (signal, code) => {
        const run = await startRun();
        await until(heldLock, "the run to take its compile lock");
        const sent = performance.now();
        run.child.kill(signal);
        const result = await run.done;
        expect(performance.now() - sent).toBeLessThan(5_000);

        expect(result.code).toBe(code);
        expect(result.stderr.trim().split("\n")).toEqual([
          `hybrid-pipeline run: stopped by ${signal} after 0 of 5 steps; partial report written to report.json`,
        ]);
        expect(await client.keys(LOCKS)).toEqual([]);
        const report = await readReport(path.join(run.dir, "report.json"));
        expect(report.status).toBe("partial");
        expect(report.warnings).toContain(
          `the run was stopped by ${signal} after 0 of 5 steps: this report is partial`,
        );
        expect(report.steps.map((s) => s.decision.reason)).toEqual(
          Array(5).fill(`not run: the run was stopped (${signal})`),
        );
      },
    );

    it("a run waiting on another's lock says so, and takes it as soon as the holder is stopped", async () => {
      const holder = await startRun();
      const lock = await until(heldLock, "the first run to take its compile lock");
      const token = await client.get(lock);
      const waiter = await startRun();
      const waitLine = `waiting up to 120.0 s for step analyze_structure: another process holds its compile lock (${lock}); it is computed here if the lock is not freed by then`;
      let waiterErr = "";
      waiter.child.stderr!.on("data", (d: Buffer) => (waiterErr += d.toString()));
      await until(async () => (waiterErr.includes(waitLine) ? true : undefined), "the wait line");

      holder.child.kill("SIGTERM");
      expect((await holder.done).code).toBe(143);
      const stoppedAt = performance.now();
      await until(async () => {
        const now = await client.get(lock);
        return now !== null && now !== token ? now : undefined;
      }, "the waiting run to take the lock");
      expect(performance.now() - stoppedAt).toBeLessThan(3_000);

      waiter.child.kill("SIGTERM");
      const waited = await waiter.done;
      expect(waited.code).toBe(143);
      expect(waited.stderr.split("\n").filter((l) => l.startsWith("waiting up to"))).toEqual([
        waitLine,
      ]);
      expect(await client.keys(LOCKS)).toEqual([]);
    });
  },
);
