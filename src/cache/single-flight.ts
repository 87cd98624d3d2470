import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

/** A store that can hold a named lease across processes (the Redis tier: SET NX PX + compare-and-delete). */
export interface LockStore {
  /** Takes the lock `name` for `ttlMs` if free; resolves false when another holder has it. */
  tryLock(name: string, token: string, ttlMs: number): Promise<boolean>;
  /** Releases the lock only if `token` still holds it. */
  unlock(name: string, token: string): Promise<void>;
  /** Where the store keeps lock `name` (e.g. its Redis key), to tell a user which lock they wait on. */
  lockKey?(name: string): string;
}

/** Shares one in-flight computation per key within this process. */
export class SingleFlight {
  readonly #inflight = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.#inflight.get(key);
    if (running) return running as Promise<T>;
    const promise = fn().finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, promise);
    return promise;
  }
}

/** How long a lock lives and how long others wait for it. */
export interface DistributedLockOptions {
  /** Lease length; a holder that dies frees the key after this. @default 600000 */
  ttlMs?: number;
  /** How long a waiter waits before computing anyway. @default 120000 */
  waitMs?: number;
  /** @default 100 */
  pollMs?: number;
  /** Called once, when the lock is found held by another process and waiting begins. */
  onWait?: () => void;
}

/** How long a waiter waits for another process's lock before computing anyway (ms). */
export const DEFAULT_LOCK_WAIT_MS = 120_000;

/** Why the caller may proceed: it holds the lock, someone else stored the result, or waiting gave up. */
export type LockOutcome =
  | { kind: "acquired"; release: () => Promise<void> }
  | { kind: "settled" }
  | { kind: "timed_out" }
  | { kind: "failed"; error: unknown };

/**
 * Waits, bounded, for the cross-process lock on `name`. While another process holds it, polls
 * `isSettled` (has the result appeared?) so waiters stop as soon as the holder stores it. A store
 * failure or timeout is an outcome, not an exception: the caller computes rather than deadlocks.
 */
export async function acquireDistributedLock(
  store: LockStore,
  name: string,
  isSettled: () => Promise<boolean>,
  options: DistributedLockOptions = {},
): Promise<LockOutcome> {
  const ttlMs = options.ttlMs ?? 600_000;
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  const pollMs = options.pollMs ?? 100;
  const token = randomBytes(16).toString("hex");
  const deadline = performance.now() + waitMs;
  let waiting = false;
  try {
    for (;;) {
      if (await store.tryLock(name, token, ttlMs)) {
        return { kind: "acquired", release: () => store.unlock(name, token) };
      }
      if (await isSettled()) return { kind: "settled" };
      if (!waiting) options.onWait?.();
      waiting = true;
      if (performance.now() >= deadline) return { kind: "timed_out" };
      await sleep(Math.min(pollMs, Math.max(0, deadline - performance.now())));
    }
  } catch (error) {
    return { kind: "failed", error };
  }
}
