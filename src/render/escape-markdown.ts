/** A zero-width space after `@` keeps GitHub from reading `@user` or `@org/team` as a mention (no ping). */
function breakMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9])/g, "@\u200b");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An `_` between two letters or digits is inert in GFM (https://github.github.com/gfm/#emphasis-and-strong-emphasis), so `step_name` stays readable. */
function escapeUnderscores(text: string): string {
  return text.replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, "\\_");
}

/**
 * Makes untrusted text (model output, step names) inert inside GitHub-flavoured markdown:
 * no HTML, no @-mentions or team pings, no links or images, no table breaks.
 */
export function escapeMarkdownInline(text: string): string {
  return breakMentions(
    escapeUnderscores(
      escapeHtml(text.replace(/\r\n?|\n/g, " ")).replace(/([\\`*{}[\]()#+!|~])/g, "\\$1"),
    ),
  ).trim();
}

/**
 * Shows untrusted multi-line text verbatim in a `<pre>` block. Every `<` is an entity, so nothing in the
 * text can close the block or open a tag, and the markdown holds no raw tag from the model at all
 * (a fenced code block would, inertly); markdown is not parsed inside an HTML block
 * (https://spec.commonmark.org/0.31.2/#html-blocks, start condition 1). Mentions are broken as well.
 */
export function preformattedBlock(text: string): string {
  return `<pre>${breakMentions(escapeHtml(text.replace(/\r\n?/g, "\n")))}</pre>`;
}

/** Cuts text to at most `max` characters (by code point), marking the cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/** Inline code that cannot break out of its backticks (backticks become `'`, newlines spaces). */
export function inlineCode(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\r?\n/g, " ")}\``;
}

/**
 * Untrusted text on an HTML line (`<details><summary>…</summary>`), where markdown is not parsed: `&`,
 * `<`, `>` become entities (no tag can open or close), mentions are broken, newlines become spaces.
 */
export function escapeHtmlLine(text: string): string {
  return breakMentions(escapeHtml(text.replace(/\r\n?|\n/g, " ")));
}
