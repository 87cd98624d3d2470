import { isLlmStepType } from "../config/index.js";
import { isRecord } from "../report/index.js";

/** A top-level step that migration gives a signature. */
export interface Candidate {
  name: string;
  type: string;
  step: Record<string, unknown>;
  parts: Array<Record<string, unknown>>;
}

/**
 * A prompt "has substance" when its static text (templates removed) holds at least this many word characters:
 * enough for an instruction worth optimizing ("Say hello" is not; "Summarize the article" is).
 */
const minStaticLetters = 12;

/** The static text of a prompt, parts joined by a blank line. */
export function staticText(parts: Array<Record<string, unknown>>): string {
  return parts
    .filter((p) => p["type"] === "static" && typeof p["content"] === "string")
    .map((p) => p["content"] as string)
    .join("\n\n");
}

function hasSubstance(parts: Array<Record<string, unknown>>): boolean {
  const letters = staticText(parts)
    .replace(/\{\{[^}]*\}\}/g, "")
    .match(/\w/g);
  return (letters?.length ?? 0) >= minStaticLetters;
}

/**
 * The design's `identify_dspy_candidates`: top-level LLM steps (claude, gemini and the claude_* / gemini_* types)
 * with a `prompt:` list of substance; steps forced to `execution_mode: traditional`, steps that already carry a
 * `signature`, and later steps reusing an earlier name are skipped. Nested steps (loops, inline pipelines) are not
 * considered: signatures are keyed by top-level step name.
 */
export function findCandidates(workflow: Record<string, unknown>): Candidate[] {
  const steps = Array.isArray(workflow["steps"]) ? workflow["steps"] : [];
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const step of steps) {
    if (!isRecord(step) || typeof step["name"] !== "string" || typeof step["type"] !== "string")
      continue;
    const { name, type } = step as { name: string; type: string };
    if (seen.has(name)) continue;
    seen.add(name);
    if (
      !isLlmStepType(type) ||
      step["execution_mode"] === "traditional" ||
      step["signature"] !== undefined
    )
      continue;
    const prompt = step["prompt"];
    if (!Array.isArray(prompt)) continue;
    const parts = prompt.filter(isRecord);
    if (hasSubstance(parts)) candidates.push({ name, type, step, parts });
  }
  return candidates;
}
