import { hasStatus, type GitHub, type RepoRef } from "./github.js";
import { programEvidence, supportsProgram, type ProgramEvidence } from "./program-evidence.js";

/** Where committed programs live in a repository (src/optimize `PROGRAMS_DIR`). */
export const programsDir = ".hybrid-pipeline/programs";

/** Optional file in the artifact: `{ "<stem>/<step>": performance_threshold }`. */
export const thresholdsFile = "thresholds.json";

/** A program file of the artifact, and what the default branch holds at its path. */
export interface PromotionCandidate {
  /** `<workflow file stem>/<step>`. */
  key: string;
  jsonPath: string;
  mdPath: string;
  json: string;
  md: string | undefined;
  evidence: ProgramEvidence;
  threshold: number;
  committed: { json?: string; md?: string; evidence?: ProgramEvidence };
}

/** A program of the artifact left out, and why (for the log). */
export interface Skipped {
  key: string;
  reason: string;
}

// Only `<stem>/<step>.json` with plain names: an artifact entry never writes elsewhere in the repository.
const entryPattern = /^(?:\.hybrid-pipeline\/programs\/)?([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)\.json$/;

function thresholdsOf(files: Map<string, Buffer>): Record<string, number> {
  const raw = files.get(thresholdsFile) ?? files.get(`${programsDir}/${thresholdsFile}`);
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw.toString("utf8"));
    if (typeof value !== "object" || value === null) return {};
    return Object.fromEntries(
      Object.entries(value).filter((e): e is [string, number] => typeof e[1] === "number"),
    );
  } catch {
    return {};
  }
}

async function readCommitted(
  octokit: GitHub,
  repo: RepoRef,
  ref: string,
  path: string,
): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
    return Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if (hasStatus(error, 404)) return undefined;
    throw error;
  }
}

/** Why the committed program stays: undefined when the candidate should be proposed. */
function keepCommitted(c: PromotionCandidate): string | undefined {
  if (c.committed.json === c.json && c.committed.md === c.md) return "already committed";
  const old = c.committed.evidence;
  if (old && old.inputsHash === c.evidence.inputsHash && old.ci95[0] >= c.evidence.ci95[0])
    return `the committed program's evidence is as good (lower bound ${old.ci95[0].toFixed(3)} ≥ ${c.evidence.ci95[0].toFixed(3)})`;
  return undefined;
}

/**
 * The artifact's programs whose held-out evidence supports them (lower bound of the Δ's 95% CI above
 * the threshold) and that improve on what the default branch at `baseSha` commits: none there, other
 * bytes with stale inputs, or a worse lower bound.
 */
export async function promotionCandidates(
  octokit: GitHub,
  repo: RepoRef,
  baseSha: string,
  files: Map<string, Buffer>,
  defaultThreshold: number,
): Promise<{ candidates: PromotionCandidate[]; skipped: Skipped[] }> {
  const thresholds = thresholdsOf(files);
  const candidates: PromotionCandidate[] = [];
  const skipped: Skipped[] = [];
  for (const [name, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const key = entryPattern.exec(name)?.[1];
    if (!key || key.split("/").some((part) => part === "." || part === "..")) continue;
    const json = bytes.toString("utf8");
    const evidence = programEvidence(json);
    if (!evidence) {
      skipped.push({ key, reason: "no held-out evidence in the program file" });
      continue;
    }
    const threshold = thresholds[key] ?? defaultThreshold;
    if (!supportsProgram(evidence, threshold)) {
      skipped.push({ key, reason: `lower bound ${evidence.ci95[0]} ≤ threshold ${threshold}` });
      continue;
    }
    const jsonPath = `${programsDir}/${key}.json`;
    const mdPath = `${programsDir}/${key}.prompt.md`;
    const md = (files.get(name.replace(/\.json$/, ".prompt.md")) ?? undefined)?.toString("utf8");
    const committedJson = await readCommitted(octokit, repo, baseSha, jsonPath);
    const committedEvidence = committedJson ? programEvidence(committedJson) : undefined;
    const candidate: PromotionCandidate = {
      key,
      jsonPath,
      mdPath,
      json,
      md,
      evidence,
      threshold,
      committed: {
        ...(committedJson !== undefined ? { json: committedJson } : {}),
        ...(committedEvidence ? { evidence: committedEvidence } : {}),
      },
    };
    const committedMd = await readCommitted(octokit, repo, baseSha, mdPath);
    if (committedMd !== undefined) candidate.committed.md = committedMd;
    const reason = keepCommitted(candidate);
    if (reason) skipped.push({ key, reason });
    else candidates.push(candidate);
  }
  return { candidates, skipped };
}
