import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createConnection, createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** A redis-server this test owns: on a free loopback port, no persistence, killed on `stop()`. */
export interface TestRedis {
  url: string;
  port: number;
  /** False when this is the shared server of `HYBRID_PIPELINE_TEST_REDIS_URL` (kill/stop then do nothing). */
  owned: boolean;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const SHARED_URL_ENV = "HYBRID_PIPELINE_TEST_REDIS_URL";

function hasRedisServerBinary(): boolean {
  const probe = spawnSync("redis-server", ["--version"], { stdio: "ignore" });
  return !probe.error && probe.status === 0;
}

/**
 * Why Redis tests are skipped here, or undefined when they can run. Tests that kill the server
 * need their own (`needsOwnServer`); others may fall back to the shared server `.ci/run` starts.
 */
export function redisSkipReason(options: { needsOwnServer?: boolean } = {}): string | undefined {
  if (hasRedisServerBinary()) return undefined;
  if (!options.needsOwnServer && process.env[SHARED_URL_ENV]) return undefined;
  return `skipped: redis-server is not installed${options.needsOwnServer ? "" : ` and ${SHARED_URL_ENV} is not set`} (Debian: apt-get install redis-server; .ci/run installs and starts it)`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.setTimeout(200, () => socket.destroy());
    socket.on("error", () => resolve(false));
    socket.on("close", () => resolve(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) => {
      resolve(data.toString().startsWith("+PONG"));
      socket.destroy();
    });
  });
}

async function exit(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill(signal);
  await exited;
}

/**
 * Starts a private redis-server and waits (up to 5 s) until it answers PING. Without the binary,
 * falls back to the shared server of `HYBRID_PIPELINE_TEST_REDIS_URL` (use a unique namespace).
 */
export async function startRedisServer(): Promise<TestRedis> {
  const shared = process.env[SHARED_URL_ENV];
  if (!hasRedisServerBinary() && shared) {
    return {
      url: shared,
      port: Number(new URL(shared).port),
      owned: false,
      kill: async () => {},
      stop: async () => {},
    };
  }
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const deadline = Date.now() + 5000;
  while (!(await ping(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await exit(child, "SIGKILL");
      throw new Error(`redis-server did not start on 127.0.0.1:${port}`);
    }
    await sleep(20);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    owned: true,
    kill: () => exit(child, "SIGKILL"),
    stop: () => exit(child, "SIGTERM"),
  };
}
