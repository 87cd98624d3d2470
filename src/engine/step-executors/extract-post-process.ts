/** @default characters of a `summary` when `max_summary_length` is not set. */
const DEFAULT_SUMMARY_LENGTH = 500;

function codeBlocks(text: string): Array<{ language: string; code: string }> {
  return [...text.matchAll(/```([\w+-]*)\n([\s\S]*?)```/g)].map((m) => ({
    language: m[1] ?? "",
    code: (m[2] ?? "").trimEnd(),
  }));
}

function bulletLines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^([-*•]|\d+[.)])\s+/.test(l))
    .map((l) => l.replace(/^([-*•]|\d+[.)])\s+/, ""));
}

function recommendations(text: string): string[] {
  const keyword = /\b(should|recommend|consider|suggest|must|avoid|use)\b/i;
  const sentences = text
    .split(/(?<=[.!?])\s+|\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  return [
    ...new Set([
      ...bulletLines(text).filter((l) => keyword.test(l)),
      ...sentences.filter((s) => keyword.test(s)),
    ]),
  ];
}

function summary(text: string, max: number): string {
  const plain = text
    .replace(/```[\s\S]*?```/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  const lastStop = cut.lastIndexOf(". ");
  return lastStop > max / 2 ? cut.slice(0, lastStop + 1) : `${cut.trimEnd()}…`;
}

/**
 * `claude_extract` post-processing (pipeline_ex's `extraction_config`): `post_processing` names any of
 * `extract_code_blocks`, `extract_recommendations`, `extract_links`, `extract_key_points`; `format:
 * summary` (or `max_summary_length`) adds `summary`; `include_metadata` adds counts. Every result
 * also gets `extracted_content` (the text, or its summary under `format: summary`).
 */
export function postProcess(
  text: string,
  config: Record<string, unknown>,
): Record<string, unknown> {
  const steps = Array.isArray(config.post_processing) ? config.post_processing.map(String) : [];
  const max =
    typeof config.max_summary_length === "number"
      ? config.max_summary_length
      : DEFAULT_SUMMARY_LENGTH;
  const out: Record<string, unknown> = {};
  if (steps.includes("extract_code_blocks")) out.code_blocks = codeBlocks(text);
  if (steps.includes("extract_recommendations")) out.recommendations = recommendations(text);
  if (steps.includes("extract_links"))
    out.links = [
      ...new Set(
        (text.match(/https?:\/\/[^\s)>\]"']+/g) ?? []).map((l) => l.replace(/[.,;:!?]+$/, "")),
      ),
    ];
  if (steps.includes("extract_key_points")) out.key_points = bulletLines(text);
  const wantsSummary = config.format === "summary" || typeof config.max_summary_length === "number";
  if (wantsSummary) out.summary = summary(text, max);
  out.extracted_content = config.format === "summary" ? out.summary : text;
  if (config.include_metadata === true) {
    out.metadata = {
      characters: text.length,
      words: text.split(/\s+/).filter(Boolean).length,
      code_blocks: codeBlocks(text).length,
      format: config.format ?? "text",
    };
  }
  return out;
}
