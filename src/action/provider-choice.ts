import { existsSync, readdirSync } from "node:fs";
import type { ProviderChoice } from "./inputs.js";

export type ProviderName = Exclude<ProviderChoice, "auto">;

/** Which provider the run uses and, in words, why (shown in the summary and the PR comment). */
export interface ProviderDecision {
  provider: ProviderName;
  reason: string;
  /** True when the requested provider could not be used (e.g. a fork PR without secrets). */
  fellBack: boolean;
}

export interface ProviderKeys {
  anthropic: string;
  gemini: string;
  openai: string;
  /** An OpenAI-compatible server (Ollama, vLLM) may need no key. */
  openaiBaseUrl: string;
}

function hasCassettes(dir: string): boolean {
  try {
    return (
      existsSync(dir) &&
      readdirSync(dir, { recursive: true }).some((name) => String(name).endsWith(".json"))
    );
  } catch {
    return false;
  }
}

function offline(cassetteDir: string, why: string): ProviderDecision {
  return hasCassettes(cassetteDir)
    ? {
        provider: "replay",
        reason: `${why}: replaying recorded cassettes from ${cassetteDir}`,
        fellBack: true,
      }
    : {
        provider: "sim",
        reason: `${why}: using the offline simulator (results are simulated)`,
        fellBack: true,
      };
}

const keyOf: Record<"anthropic" | "gemini" | "openai", (k: ProviderKeys) => boolean> = {
  anthropic: (k) => k.anthropic !== "",
  gemini: (k) => k.gemini !== "",
  openai: (k) => k.openai !== "" || k.openaiBaseUrl !== "",
};

/**
 * Picks the provider. `auto` takes the first provider with a key (anthropic, gemini, openai); without any
 * key — a fork pull request gets no secrets — it replays cassettes when `cassetteDir` holds some, else `sim`.
 * A named real provider without its key falls back the same way, and says so, instead of failing the job.
 */
export function chooseProvider(
  requested: ProviderChoice,
  keys: ProviderKeys,
  cassetteDir: string,
): ProviderDecision {
  if (requested === "sim")
    return {
      provider: "sim",
      reason: "provider: sim (requested; results are simulated)",
      fellBack: false,
    };
  if (requested === "replay") {
    return hasCassettes(cassetteDir)
      ? {
          provider: "replay",
          reason: `provider: replay (requested; cassettes from ${cassetteDir})`,
          fellBack: false,
        }
      : {
          provider: "sim",
          reason: `provider replay requested but ${cassetteDir} holds no cassettes: using the offline simulator`,
          fellBack: true,
        };
  }
  if (requested !== "auto") {
    if (keyOf[requested](keys))
      return { provider: requested, reason: `provider: ${requested} (requested)`, fellBack: false };
    return offline(cassetteDir, `no ${requested} API key (fork pull requests get no secrets)`);
  }
  for (const name of ["anthropic", "gemini", "openai"] as const) {
    if (keyOf[name](keys))
      return {
        provider: name,
        reason: `provider: ${name} (auto: its key is set)`,
        fellBack: false,
      };
  }
  return offline(cassetteDir, "no provider API key (fork pull requests get no secrets)");
}
