import type { CacheReport } from "../report/index.js";
import type { TierEvent, TierName } from "./cache-tier.js";

/** Counts what the run report's `cache` block shows; fed by the tiered cache and by the tiers' events. */
export class CacheReporter {
  readonly #report: CacheReport = {
    hits: { memory: 0, disk: 0, distributed: 0 },
    misses: 0,
    promotions: 0,
    evictions: 0,
    corrupt_entries: 0,
    degraded: [],
  };
  readonly #onWarning: (message: string) => void;
  /** Per tier: operations that failed while the tier stayed in use, and the first reason. */
  readonly #failedOps = new Map<TierName, { count: number; first: string }>();

  constructor(onWarning: (message: string) => void = () => {}) {
    this.#onWarning = onWarning;
  }

  hit(tier: TierName): void {
    this.#report.hits[tier] += 1;
  }

  miss(): void {
    this.#report.misses += 1;
  }

  promoted(): void {
    this.#report.promotions += 1;
  }

  /** Receives a tier's eviction and corrupt-entry events (pass as the tier's `onEvent`). */
  readonly onTierEvent = (event: TierEvent): void => {
    if (event.kind === "eviction") {
      this.#report.evictions += 1;
      return;
    }
    this.#report.corrupt_entries += 1;
    this.#onWarning(
      `cache: discarded a corrupt ${event.tier} entry (${event.reason}); it will be recomputed`,
    );
  };

  /** A cached value whose checksum holds but whose shape the reader rejects: corrupt too. */
  wrongShape(tier: TierName, key: string): void {
    this.onTierEvent({ kind: "corrupt", tier, key, reason: `${key}: value of the wrong shape` });
  }

  /** One operation of `tier` failed and the tier stays in use; warns once per tier. */
  operationFailed(tier: TierName, reason: string): void {
    const failed = this.#failedOps.get(tier);
    if (failed) {
      failed.count += 1;
      return;
    }
    this.#failedOps.set(tier, { count: 1, first: reason });
    this.#onWarning(
      `cache: a ${tier} tier operation failed, other entries still served: ${reason}`,
    );
  }

  /** Records that `tier` failed and is bypassed for the rest of the run (first reason kept). */
  degrade(tier: TierName, reason: string): void {
    if (this.#report.degraded.some((d) => d.tier === tier)) return;
    this.#report.degraded.push({ tier, reason });
    this.#onWarning(`cache: ${tier} tier degraded, continuing without it: ${reason}`);
  }

  /** A snapshot; later activity does not change it. Tiers with failed operations join `degraded`. */
  report(): CacheReport {
    const report = structuredClone(this.#report);
    for (const [tier, { count, first }] of this.#failedOps) {
      if (report.degraded.some((d) => d.tier === tier)) continue;
      const ops = count === 1 ? "1 operation" : `${count} operations`;
      report.degraded.push({ tier, reason: `${ops} failed, tier kept in use (first: ${first})` });
    }
    return report;
  }
}
