import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const projectRoot = resolve(import.meta.dirname, "../..");

/**
 * The pipeline_ex corpus: `HYBRID_PIPELINE_CORPUS` when set (a missing path then means "absent"), else
 * `../shared/corpus/pipeline_ex` beside the checkout. A user's clone usually has neither.
 */
export const corpusDir = resolve(
  projectRoot,
  process.env.HYBRID_PIPELINE_CORPUS ?? "../shared/corpus/pipeline_ex",
);

/** True when the corpus (its manifest) is there to read. */
export const corpusAvailable = existsSync(join(corpusDir, "manifest.json"));

/** Why corpus tests skip; shown in their describe name and printed once per test file. */
export const corpusSkipReason = `pipeline_ex corpus not found at ${corpusDir} (set HYBRID_PIPELINE_CORPUS to its path to run these tests)`;

/** A describe-block title that carries the skip reason when the corpus is absent. */
export function corpusTitle(title: string): string {
  if (corpusAvailable) return title;
  console.warn(`skipped: ${title}: ${corpusSkipReason}`);
  return `${title} (skipped: ${corpusSkipReason})`;
}

/** One entry of the corpus's manifest.json. */
export interface ManifestEntry {
  path: string;
  pipeline_ex_status: "valid" | "valid_test_env_only" | "invalid" | "not_a_workflow";
  step_types: string[];
}

/** The manifest's entries, or none when the corpus is absent. */
export function corpusManifest(): ManifestEntry[] {
  if (!corpusAvailable) return [];
  return (
    JSON.parse(readFileSync(join(corpusDir, "manifest.json"), "utf8")) as {
      files: ManifestEntry[];
    }
  ).files;
}

/** Every file under the corpus (absolute paths, sorted), or none when absent. */
export function corpusFiles(): string[] {
  if (!corpusAvailable) return [];
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) =>
      statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)],
    );
  return walk(corpusDir).sort();
}

/** The copies of the pipeline_ex files tests name directly (test/fixtures/pipeline_ex), always present. */
export const pipelineExFixtures = join(projectRoot, "test/fixtures/pipeline_ex");
