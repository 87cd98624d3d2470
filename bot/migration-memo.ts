import { LRUCache } from "lru-cache";
import {
  migrateSource,
  type MigrationOptions,
  type MigrationOutcome,
} from "../src/migrate/index.js";

/** `migrateSource`, remembered by blob SHA: redeliveries and pushes re-read unchanged files for free. */
export type MigrateFile = (
  text: string,
  path: string,
  blobSha: string,
  options: MigrationOptions,
) => MigrationOutcome;

/**
 * A bounded memo over `migrateSource` (pure: same blob, path and options → same outcome).
 * @param max entries kept. @default 2000
 */
export function createMigrationMemo(max = 2000): MigrateFile {
  const memo = new LRUCache<string, MigrationOutcome>({ max });
  return (text, path, blobSha, options) => {
    const key = JSON.stringify([blobSha, path, options]);
    const known = memo.get(key);
    if (known) return known;
    const outcome = migrateSource(text, path, options);
    memo.set(key, outcome);
    return outcome;
  };
}
