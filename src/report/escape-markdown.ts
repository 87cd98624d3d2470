/**
 * Makes untrusted text (model output, step names) inert inside GitHub-flavoured markdown:
 * no HTML, no @-mentions or team pings, no links or images, no table breaks.
 */
export function escapeMarkdownInline(text: string): string {
  return text
    .replace(/\r\n?|\n/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_{}[\]()#+!|~])/g, "\\$1")
    .replace(/@(?=[A-Za-z0-9])/g, "@\u200b")
    .trim();
}

/**
 * Wraps untrusted text in a fenced code block whose fence is longer than any backtick run inside it,
 * so nothing in the text can close the block early. Mentions and HTML are inert inside code blocks.
 */
export function fencedCodeBlock(text: string, language = "text"): string {
  const longestRun = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longestRun + 1);
  const body = text.replace(/\r\n?/g, "\n");
  return `${fence}${language}\n${body}${body.endsWith("\n") ? "" : "\n"}${fence}`;
}

/** Cuts text to at most `max` characters (by code point), marking the cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}
