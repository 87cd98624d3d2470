import pLimit, { type LimitFunction } from "p-limit";

/** Runs jobs one at a time per key (a repository), different keys in parallel. */
export interface SerialQueue {
  run<T>(key: string, job: () => Promise<T>): Promise<T>;
  /** Keys with work queued or running. */
  readonly busy: number;
}

/**
 * A per-repository queue: concurrent deliveries for one repository in one process never
 * interleave their reads and writes, so the second one sees what the first one wrote.
 */
export function createSerialQueue(): SerialQueue {
  const limits = new Map<string, LimitFunction>();
  return {
    async run(key, job) {
      const limit = limits.get(key) ?? pLimit(1);
      limits.set(key, limit);
      try {
        return await limit(job);
      } finally {
        if (limit.activeCount === 0 && limit.pendingCount === 0) limits.delete(key);
      }
    },
    get busy() {
      return limits.size;
    },
  };
}
