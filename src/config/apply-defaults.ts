import type { ClaudeOptions, ClaudePreset } from "./claude-options-schema.js";
import { claudePresets } from "./claude-presets.js";
import type { Defaults, Workflow } from "./workflow-schema.js";
import { isRecord } from "../report/index.js";

const claudeFamily = new Set([
  "claude",
  "claude_smart",
  "claude_session",
  "claude_extract",
  "claude_batch",
  "claude_robust",
]);
const presetTypes = new Set(["claude_smart", "claude_extract", "claude_batch", "claude_robust"]);
const geminiFamily = new Set(["gemini", "gemini_instructor"]);

/**
 * Merges `workflow.defaults` into the top-level steps as pipeline_ex's `Config.apply_defaults/1` does:
 * `defaults.claude_options` under each Claude step's (and each `parallel_tasks` task's) `claude_options`,
 * `output_format` from `defaults.claude_output_format` else `json`, and `model`/`token_budget` of Gemini steps
 * from `gemini_model`/`gemini_token_budget`. Preset steps also get their preset's options (`preset`, else
 * `defaults.claude_preset`) beneath everything. Absent defaults stay absent. Returns a new workflow.
 */
export function applyDefaults(workflow: Workflow): Workflow {
  const copy = structuredClone(workflow);
  const defaults: Defaults = isRecord(copy.defaults) ? copy.defaults : {};
  for (const step of copy.steps as unknown[]) {
    if (!isRecord(step)) continue;
    const type = String(step["type"]);
    if (claudeFamily.has(type)) {
      const named = presetTypes.has(type) ? (step["preset"] ?? defaults.claude_preset) : undefined;
      const preset =
        typeof named === "string" && Object.hasOwn(claudePresets, named)
          ? (named as ClaudePreset)
          : undefined;
      step["claude_options"] = mergeClaudeOptions(
        step["claude_options"] as ClaudeOptions | undefined,
        defaults,
        preset,
      );
    } else if (geminiFamily.has(type)) {
      if (step["model"] === undefined && defaults.gemini_model !== undefined)
        step["model"] = defaults.gemini_model;
      if (step["token_budget"] === undefined && defaults.gemini_token_budget !== undefined)
        step["token_budget"] = structuredClone(defaults.gemini_token_budget);
    } else if (type === "parallel_claude" && Array.isArray(step["parallel_tasks"])) {
      for (const task of step["parallel_tasks"] as unknown[]) {
        if (isRecord(task))
          task["claude_options"] = mergeClaudeOptions(
            task["claude_options"] as ClaudeOptions | undefined,
            defaults,
            undefined,
          );
      }
    }
  }
  return copy;
}

function mergeClaudeOptions(
  own: ClaudeOptions | undefined,
  defaults: Defaults,
  preset: ClaudePreset | undefined,
): ClaudeOptions {
  const base = preset ? structuredClone(claudePresets[preset]) : {};
  const fromDefaults = isRecord(defaults.claude_options)
    ? structuredClone(defaults.claude_options)
    : {};
  const merged: ClaudeOptions = { ...base, ...fromDefaults, ...(isRecord(own) ? own : {}) };
  merged.output_format ??= defaults.claude_output_format ?? "json";
  return merged;
}
