import type { Recommendation } from "../report/index.js";
import { recommendationLabel } from "./format-values.js";

/** The docs as of the major version users pin (`uses: hybrid-pipeline/hybrid-pipeline@v1`). */
export const DOCS_BASE = "https://github.com/hybrid-pipeline/hybrid-pipeline/blob/v1/docs/";

/** docs/verdicts.md explains every verdict and recommendation under a heading named after its label. */
const VERDICTS_DOC = `${DOCS_BASE}verdicts.md`;

/** GitHub's heading anchor for a label of lowercase words: spaces become hyphens, other punctuation goes. */
export function headingAnchor(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^\p{L}\p{N} -]/gu, "")
    .replace(/ /g, "-");
}

/** The recommendation's label, linked to what it means and what to do. */
export function docsLink(recommendation: Recommendation): string {
  const label = recommendationLabel(recommendation);
  return `[${label}](${VERDICTS_DOC}#${headingAnchor(label)})`;
}

/** A link to the page on verdicts and recommendations. */
export function verdictDocsLink(text = "about verdicts"): string {
  return `[${text}](${VERDICTS_DOC})`;
}
