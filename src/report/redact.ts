/**
 * Token shapes of the credentials this tool handles, so that a key leaking through model output or an
 * SDK error is caught even when it was never registered as a secret. Sources: Anthropic (`sk-ant-`),
 * OpenAI (`sk-`, `sk-proj-`), Google API keys (`AIza` + 35), GitHub tokens
 * (https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/).
 */
const TOKEN_PATTERNS: RegExp[] = [
  /\bsk-ant-[A-Za-z0-9_-]{10,}/g,
  /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{40,}\b/g,
  /\b((?:Bearer|token)\s+)[A-Za-z0-9._~+/=-]{16,}/gi,
  /((?:x-api-key|x-goog-api-key|authorization)["']?\s*[:=]\s*["']?)[^\n"',}]+/gi,
  /([?&]key=)[^&\s"']+/g,
];

/**
 * Every pattern above needs one of these literals (case-insensitively a superset), so text without any
 * of them skips the eight replaces: most of what is redacted is model prose (engine-overhead bench).
 */
const TOKEN_HINT =
  /sk-|AIza|gh[pousr]_|github_pat_|bearer|token|x-api-key|x-goog-api-key|authorization|key=/i;

export const REDACTED = "***";

/** Secrets shorter than this are not replaced: masking "a" everywhere would destroy the text. */
const MIN_SECRET_LENGTH = 4;

/**
 * Returns `text` with every given secret and every credential-shaped token replaced by `***`.
 * Everything that leaves the process (logs, reports, comments, cassettes) goes through this.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  if (secrets.length > 0) {
    const literal = [...new Set(secrets)]
      .filter((s) => s.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length);
    for (const secret of literal) out = out.split(secret).join(REDACTED);
  }
  if (!TOKEN_HINT.test(out)) return out;
  for (const pattern of TOKEN_PATTERNS) {
    out = out.replace(pattern, (match: string, prefix?: unknown) =>
      typeof prefix === "string" && match.startsWith(prefix) && prefix !== match
        ? `${prefix}${REDACTED}`
        : REDACTED,
    );
  }
  return out;
}

/** Applies {@link redact} to every string inside a JSON-shaped value. */
export function redactDeep<T>(value: T, secrets: readonly string[] = []): T {
  if (typeof value === "string") return redact(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v, secrets)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)]),
    ) as T;
  }
  return value;
}
