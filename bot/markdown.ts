/** Inline code that cannot break out of its backticks. */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\r?\n/g, " ")}\``;
}

/** Plain text safe in markdown (no HTML, links or emphasis from file content); intraword `_` is inert in GFM. */
export function plain(text: string): string {
  return text
    .replace(/[\\`*{}[\]<>()#|!]/g, (c) => `\\${c}`)
    .replace(/(^|\W)_|_(?=\W|$)/g, (m) => m.replace("_", "\\_"))
    .replace(/\r?\n/g, " ");
}
