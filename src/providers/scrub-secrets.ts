/**
 * Credential shapes removed from anything a provider lets out (error messages, cassettes):
 * header values of `x-api-key`, `x-goog-api-key`, `authorization`, bearer tokens and `key=`
 * query parameters. The report layer's `redact()` applies the same rules (and more) to what
 * leaves the process; this layer sits below it, so it keeps its own small copy for its own output.
 */
const PATTERNS: RegExp[] = [
  /((?:x-api-key|x-goog-api-key|authorization)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
  /(\bBearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  /([?&]key=)[^&\s"']+/g,
];

/** Secrets shorter than this are not replaced: masking "a" everywhere would destroy the text. */
const MIN_SECRET_LENGTH = 4;

/** Returns `text` with every given secret and credential-shaped value replaced by `***`. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join("***");
  }
  for (const pattern of PATTERNS) out = out.replace(pattern, "$1***");
  return out;
}
