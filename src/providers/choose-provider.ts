import { existsSync, readdirSync } from "node:fs";
import { providerNames, type ProviderName } from "./language-model.js";
import {
  credentialsOf,
  missingKeyError,
  remoteProviders,
  type RemoteProviderName,
} from "./provider-keys.js";

/** What a user may ask for: a provider, or `auto`. */
export type ProviderChoice = ProviderName | "auto";

/** Every value `--provider` and the Action's `provider` input accept, `auto` first. */
export const providerChoices: readonly ProviderChoice[] = ["auto", ...providerNames];

/** Which provider a run uses and, in words, why (shown in the summary and the PR comment). */
export interface ProviderDecision {
  provider: ProviderName;
  reason: string;
  /** True when the requested provider could not be used (e.g. a fork PR without secrets). */
  fellBack: boolean;
}

/** How `chooseProvider` treats a named provider it cannot use. */
export interface ChooseProviderOptions {
  /** Cassette directory the `replay` provider reads. @default none */
  cassetteDir?: string;
  /**
   * `fail`: throw ProviderError `not_configured` (the CLI: the user named it);
   * `fall_back`: replay cassettes, else sim, and say why (the Action: a fork PR gets no secrets).
   * @default "fail"
   */
  whenUnusable?: "fail" | "fall_back";
}

/** True for `auto` and every provider name. */
export function isProviderChoice(value: string): value is ProviderChoice {
  return (providerChoices as readonly string[]).includes(value);
}

function hasCassettes(dir: string | undefined): dir is string {
  if (!dir) return false;
  try {
    return (
      existsSync(dir) &&
      readdirSync(dir, { recursive: true }).some((name) => String(name).endsWith(".json"))
    );
  } catch {
    return false;
  }
}

function offline(cassetteDir: string | undefined, why: string): ProviderDecision {
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

function unusable(name: RemoteProviderName, options: ChooseProviderOptions): ProviderDecision {
  if ((options.whenUnusable ?? "fail") === "fall_back")
    return offline(options.cassetteDir, `no ${name} API key (fork pull requests get no secrets)`);
  throw missingKeyError(name);
}

/**
 * Picks the provider, the one place `auto` is decided: `auto` takes the first provider whose key is
 * set (anthropic, gemini, openai; openai also with only OPENAI_BASE_URL); without any, it replays
 * cassettes when `cassetteDir` holds some, else `sim`. A named provider that cannot be used throws
 * ProviderError `not_configured`, or with `whenUnusable: "fall_back"` falls back as `auto` does and says so.
 */
export function chooseProvider(
  requested: ProviderChoice,
  env: NodeJS.ProcessEnv,
  options: ChooseProviderOptions = {},
): ProviderDecision {
  const fallBack = (options.whenUnusable ?? "fail") === "fall_back";
  if (requested === "sim")
    return {
      provider: "sim",
      reason: "provider: sim (requested; results are simulated)",
      fellBack: false,
    };
  if (requested === "replay") {
    if (hasCassettes(options.cassetteDir) || !fallBack)
      return {
        provider: "replay",
        reason: `provider: replay (requested; cassettes from ${options.cassetteDir ?? "nowhere"})`,
        fellBack: false,
      };
    return {
      provider: "sim",
      reason: `provider replay requested but ${options.cassetteDir ?? "no directory"} holds no cassettes: using the offline simulator`,
      fellBack: true,
    };
  }
  if (requested !== "auto") {
    if (credentialsOf(requested, env).usable)
      return { provider: requested, reason: `provider: ${requested} (requested)`, fellBack: false };
    return unusable(requested, options);
  }
  const withKey = remoteProviders.find((name) => credentialsOf(name, env).usable);
  if (withKey)
    return {
      provider: withKey,
      reason: `provider: ${withKey} (auto: its key is set)`,
      fellBack: false,
    };
  return offline(options.cassetteDir, "no provider API key (fork pull requests get no secrets)");
}
