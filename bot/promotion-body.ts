import { createTwoFilesPatch } from "diff";
import {
  inlineCode as code,
  escapeMarkdownInline as plain,
  preformattedBlock,
} from "../src/render/index.js";
import type { PrMarker } from "./migration-pr.js";
import type { PromotionCandidate } from "./promotion-candidates.js";

const markerPrefix = "<!-- hybrid-pipeline:promotion hash=";
const inputsPrefix = "<!-- hybrid-pipeline:promotion-inputs ";
/** GitHub refuses a body over 65,536 characters. */
const maxBody = 60_000;
const maxDiff = 12_000;

/** The promotion pull request's hidden marker: its content hash. */
export const promotionMarker: PrMarker = {
  is: (body) => body?.includes(markerPrefix) ?? false,
  hash: (body) =>
    body ? /<!-- hybrid-pipeline:promotion hash=([0-9a-f]{64}) -->/.exec(body)?.[1] : undefined,
};

/** `<stem>/<step>=<inputs hash>` of each program a promotion pull request proposed. */
export function proposedInputs(body: string): Set<string> {
  const line = body.split("\n").find((l) => l.startsWith(inputsPrefix));
  const tokens = line?.slice(inputsPrefix.length).replace(/ -->$/, "").split(" ") ?? [];
  return new Set(
    tokens.filter((t) => /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+=[A-Za-z0-9:._-]+$/.test(t)),
  );
}

/** The token `proposedInputs` reads back for a candidate. */
export const inputsToken = (c: PromotionCandidate) => `${c.key}=${c.evidence.inputsHash}`;

const num = (x: number) => x.toFixed(3);
const signed = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(3)}`;
const usd = (x: number | null) => (x === null ? "n/a" : `$${x.toFixed(6)}`);

function stepTable(c: PromotionCandidate): string[] {
  const e = c.evidence;
  const before = c.committed.evidence
    ? `replaces a committed program (lower bound ${signed(c.committed.evidence.ci95[0])}${c.committed.evidence.inputsHash === e.inputsHash ? "" : ", compiled from other inputs"})`
    : "no program committed yet";
  return [
    `#### ${code(c.key)}`,
    "",
    "| held-out n | traditional → optimized | Δ (95% CI) | threshold | cost per call | optimizer | LM calls | model |",
    "|---:|---|---|---:|---|---|---:|---|",
    `| ${e.n} | ${num(e.traditional)} → ${num(e.optimized)} | ${signed(e.delta)} [${signed(e.ci95[0])}, ${signed(e.ci95[1])}] | ${c.threshold} | ${usd(e.cost.traditional)} → ${usd(e.cost.optimized)} | ${code(e.optimizer)} | ${e.lmCalls} | ${plain(e.model)} |`,
    "",
    `Files: ${code(c.jsonPath)}${c.md !== undefined ? `, ${code(c.mdPath)}` : ""}; ${before}.`,
  ];
}

function promptDiff(c: PromotionCandidate): string[] {
  if (c.md === undefined) return [];
  let patch = createTwoFilesPatch(
    c.committed.md === undefined ? "/dev/null" : `a/${c.mdPath}`,
    `b/${c.mdPath}`,
    c.committed.md ?? "",
    c.md,
  );
  if (patch.length > maxDiff) patch = `${patch.slice(0, maxDiff)}\n… (diff cut; see the files)`;
  return [
    "",
    `<details><summary>Prompt diff of ${plain(c.key)}</summary>`,
    "",
    preformattedBlock(patch),
    "",
    "</details>",
  ];
}

/** The promotion pull request's body: a table per step, the prompt diffs collapsed, how to reject. */
export function renderPromotionBody(input: {
  hash: string;
  candidates: PromotionCandidate[];
  branch: string;
}): string {
  const head = [
    `${markerPrefix}${input.hash} -->`,
    `${inputsPrefix}${input.candidates.map(inputsToken).join(" ")} -->`,
    "This pull request commits optimized programs whose held-out evidence supports them: the lower bound of the 95% CI of the held-out gain (optimized − traditional) is above the step's `performance_threshold`. Once merged, runs use these reviewed programs instead of compiling their own.",
    "",
  ];
  const tail = [
    "",
    "### Reject",
    `Close this pull request without merging: a step's program is not proposed again until that step's inputs (signature, training data or optimizer options) change. Pushing your own commit to ${code(input.branch)} makes the bot leave the branch alone.`,
  ];
  const full = [
    ...head,
    ...input.candidates.flatMap((c) => [...stepTable(c), ...promptDiff(c), ""]),
    ...tail,
  ].join("\n");
  if (full.length <= maxBody) return full;
  return [
    ...head,
    ...input.candidates.flatMap((c) => [...stepTable(c), ""]),
    "_(prompt diffs left out: they are longer than a pull request body may be; see the `.prompt.md` files)_",
    ...tail,
  ].join("\n");
}
