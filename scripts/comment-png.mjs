// Renders the comment in docs/comment.md (below its marker line) as GitHub shows it and screenshots it to
// docs/comment.png with Debian's headless Chromium. Run through `npm run comment:png`, after
// `npm run comment:md`; not part of `npm test` (it needs a browser).
// - Markdown → HTML with micromark and its GFM extension (tables, autolinks, strikethrough), raw HTML
//   kept (the comment uses <details>, <sub>, <pre>).
// - GitHub alerts (`> [!NOTE]` …) parse as blockquotes in CommonMark-GFM; they are restyled as
//   GitHub draws them (coloured bar, icon and title).
// - ```mermaid blocks become <pre class="mermaid">, drawn in the page by mermaid from node_modules
//   (loaded from a file URL, no network).
// - Chromium runs twice: once to measure the rendered page's height (--dump-dom), once to screenshot
//   exactly that height, so the picture is never cut off.
// Environment: CHROMIUM overrides /usr/bin/chromium.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { COMMENT_MARKER } from "./render-demo-comment.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
const mermaidJs = join(root, "node_modules/mermaid/dist/mermaid.min.js");
const source = join(root, "docs/comment.md");
const target = join(root, "docs/comment.png");
/** A pull-request comment's width on github.com (the conversation column, at a 1280 px window). */
const WIDTH = 900;
/** Device pixels per CSS pixel: a sharp picture on high-density screens. */
const SCALE = 2;

function fail(message) {
  console.error(`comment:png: ${message}`);
  process.exit(1);
}

if (!existsSync(chromium))
  fail(
    `Chromium not found at ${chromium}. Install Debian's headless-capable build with\n` +
      "  sudo apt-get install -y chromium\n" +
      "or set CHROMIUM=/path/to/chromium.",
  );
if (!existsSync(mermaidJs))
  fail(`${mermaidJs} is missing: run npm ci (mermaid is a devDependency).`);

const { micromark } = await import("micromark");
const { gfm, gfmHtml } = await import("micromark-extension-gfm");

/** The comment: everything below the marker line of docs/comment.md. */
function commentMarkdown() {
  const page = readFileSync(source, "utf8");
  const at = page.indexOf(COMMENT_MARKER);
  if (at === -1) fail(`docs/comment.md has no line "${COMMENT_MARKER}": run npm run comment:md`);
  return page.slice(at + COMMENT_MARKER.length).trimStart();
}

// GitHub's octicons for the five alert kinds (MIT, https://github.com/primer/octicons).
const ICONS = {
  note: "M0 8a8 8 0 1 1 16 0A8 8 0 0 1 0 8Zm8-6.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM6.5 7.75A.75.75 0 0 1 7.25 7h1a.75.75 0 0 1 .75.75v2.75h.25a.75.75 0 0 1 0 1.5h-2a.75.75 0 0 1 0-1.5h.25v-2h-.25a.75.75 0 0 1-.75-.75ZM8 6a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z",
  tip: "M8 1.5c-2.363 0-4 1.69-4 3.75 0 .984.424 1.625.984 2.304l.214.253c.223.264.47.556.673.848.284.411.537.896.621 1.49a.75.75 0 0 1-1.484.211c-.04-.282-.163-.547-.37-.847a8.456 8.456 0 0 0-.542-.68c-.084-.1-.173-.205-.268-.32C3.201 7.75 2.5 6.766 2.5 5.25 2.5 2.31 4.863 0 8 0s5.5 2.31 5.5 5.25c0 1.516-.701 2.5-1.328 3.259-.095.115-.184.22-.268.319-.207.245-.383.453-.541.681-.208.3-.33.565-.37.847a.751.751 0 0 1-1.485-.212c.084-.593.337-1.078.621-1.489.203-.292.45-.584.673-.848.075-.088.147-.173.213-.253.561-.679.985-1.32.985-2.304 0-2.06-1.637-3.75-4-3.75ZM5.75 12h4.5a.75.75 0 0 1 0 1.5h-4.5a.75.75 0 0 1 0-1.5ZM6 15.25a.75.75 0 0 1 .75-.75h2.5a.75.75 0 0 1 0 1.5h-2.5a.75.75 0 0 1-.75-.75Z",
  important:
    "M0 1.75C0 .784.784 0 1.75 0h12.5C15.216 0 16 .784 16 1.75v9.5A1.75 1.75 0 0 1 14.25 13H8.06l-2.573 2.573A1.458 1.458 0 0 1 3 14.543V13H1.75A1.75 1.75 0 0 1 0 11.25Zm1.75-.25a.25.25 0 0 0-.25.25v9.5c0 .138.112.25.25.25h2a.75.75 0 0 1 .75.75v2.19l2.72-2.72a.749.749 0 0 1 .53-.22h6.5a.25.25 0 0 0 .25-.25v-9.5a.25.25 0 0 0-.25-.25Zm7 2.25v2.5a.75.75 0 0 1-1.5 0v-2.5a.75.75 0 0 1 1.5 0ZM9 9a1 1 0 1 1-2 0 1 1 0 0 1 2 0Z",
  warning:
    "M6.457 1.047c.659-1.234 2.427-1.234 3.086 0l6.082 11.378A1.75 1.75 0 0 1 14.082 15H1.918a1.75 1.75 0 0 1-1.543-2.575Zm1.763.707a.25.25 0 0 0-.44 0L1.698 13.132a.25.25 0 0 0 .22.368h12.164a.25.25 0 0 0 .22-.368Zm.53 3.996v2.5a.75.75 0 0 1-1.5 0v-2.5a.75.75 0 0 1 1.5 0ZM9 11a1 1 0 1 1-2 0 1 1 0 0 1 2 0Z",
  caution:
    "M4.47.22A.749.749 0 0 1 5 0h6c.199 0 .389.079.53.22l4.25 4.25c.141.14.22.331.22.53v6a.749.749 0 0 1-.22.53l-4.25 4.25A.749.749 0 0 1 11 16H5a.749.749 0 0 1-.53-.22L.22 11.53A.749.749 0 0 1 0 11V5c0-.199.079-.389.22-.53Zm.84 1.28L1.5 5.31v5.38l3.81 3.81h5.38l3.81-3.81V5.31L10.69 1.5ZM8 4a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 8 4Zm0 8a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z",
};

/** `> [!KIND]` blockquotes → GitHub's alert markup (a coloured bar, the kind's icon and title). */
function githubAlerts(html) {
  return html.replace(
    /<blockquote>\s*<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*(?:<br \/>\s*)?([\s\S]*?)<\/blockquote>/g,
    (_all, kind, body) => {
      const k = kind.toLowerCase();
      const title = k[0].toUpperCase() + k.slice(1);
      const icon = `<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="${ICONS[k]}"></path></svg>`;
      return `<div class="markdown-alert markdown-alert-${k}"><p class="markdown-alert-title">${icon}${title}</p><p>${body}</div>`;
    },
  );
}

/** ```mermaid code blocks → <pre class="mermaid"> (the text stays HTML-escaped; mermaid reads textContent). */
function mermaidBlocks(html) {
  return html.replace(
    /<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g,
    (_all, code) => `<pre class="mermaid">${code}</pre>`,
  );
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;padding:16px;background:#fff;color:#1f2328;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,"Liberation Sans",sans-serif;font-size:14px;line-height:1.5}
.comment{border:1px solid #d1d9e0;border-radius:6px;overflow:hidden}
.comment-header{background:#f6f8fa;border-bottom:1px solid #d1d9e0;padding:8px 16px;color:#59636e}
.comment-header strong{color:#1f2328}
.markdown-body{padding:16px;overflow-wrap:break-word}
.markdown-body>*:first-child{margin-top:0!important}
.markdown-body>*:last-child{margin-bottom:0!important}
p,blockquote,ul,ol,table,pre,details,.markdown-alert{margin-top:0;margin-bottom:16px}
h1,h2,h3,h4{margin-top:24px;margin-bottom:16px;font-weight:600;line-height:1.25}
h3{font-size:1.25em}
a{color:#0969da;text-decoration:none}
code,tt{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace;font-size:85%;padding:.2em .4em;margin:0;background:rgba(129,139,152,.12);border-radius:6px;white-space:break-spaces}
pre{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace;font-size:85%;line-height:1.45;padding:16px;overflow:auto;background:#f6f8fa;border-radius:6px;white-space:pre-wrap;word-break:break-word}
pre code{padding:0;background:transparent;font-size:100%}
table{border-spacing:0;border-collapse:collapse;display:block;width:max-content;max-width:100%;overflow:auto;font-variant:tabular-nums}
table th{font-weight:600}
table th,table td{padding:6px 13px;border:1px solid #d1d9e0}
table tr{background:#fff;border-top:1px solid #d1d9e0b3}
table tr:nth-child(2n){background:#f6f8fa}
blockquote{margin-left:0;margin-right:0;padding:0 1em;color:#59636e;border-left:.25em solid #d1d9e0}
sub{font-size:75%;line-height:1.4;vertical-align:baseline;display:inline-block}
details summary{cursor:pointer;display:list-item}
.markdown-alert{padding:.5rem 1rem;color:inherit;border-left:.25em solid #d1d9e0}
.markdown-alert>:last-child{margin-bottom:0}
.markdown-alert>p{margin-bottom:8px}
.markdown-alert .markdown-alert-title{display:flex;align-items:center;gap:8px;font-weight:500;line-height:1;margin-bottom:8px}
.markdown-alert svg{fill:currentColor}
.markdown-alert-note{border-left-color:#0969da}.markdown-alert-note .markdown-alert-title{color:#0969da}
.markdown-alert-tip{border-left-color:#1a7f37}.markdown-alert-tip .markdown-alert-title{color:#1a7f37}
.markdown-alert-important{border-left-color:#8250df}.markdown-alert-important .markdown-alert-title{color:#8250df}
.markdown-alert-warning{border-left-color:#9a6700}.markdown-alert-warning .markdown-alert-title{color:#9a6700}
.markdown-alert-caution{border-left-color:#d1242f}.markdown-alert-caution .markdown-alert-title{color:#d1242f}
pre.mermaid{background:#fff;text-align:center;white-space:pre}
`;

function page(bodyHtml) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>rendering</title><style>${CSS}</style>
<script src="${pathToFileURL(mermaidJs).href}"></script></head>
<body><div class="comment"><div class="comment-header"><strong>github-actions</strong> bot commented</div>
<div class="markdown-body">
${bodyHtml}
</div></div>
<script>
(async () => {
  let state = "ok";
  try {
    mermaid.initialize({ startOnLoad: false, theme: "default", securityLevel: "strict" });
    await mermaid.run({ querySelector: "pre.mermaid" });
    if (document.querySelectorAll("pre.mermaid").length !== document.querySelectorAll("pre.mermaid svg").length)
      state = "mermaid-not-drawn";
  } catch (error) {
    state = "mermaid-error: " + String(error && error.message || error).replace(/\\s+/g, " ");
  }
  // How far the widest scrolling element (a table, a <pre>) overflows its box: GitHub would scroll it.
  const overflow = Math.max(0, ...[...document.querySelectorAll("table, pre")].map((e) => e.scrollWidth - e.clientWidth));
  document.title = "rendered " + Math.ceil(document.documentElement.scrollHeight) + " " + overflow + " " + state;
})();
</script></body></html>
`;
}

function runChromium(args) {
  const result = spawnSync(
    chromium,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--hide-scrollbars",
      "--allow-file-access-from-files",
      "--virtual-time-budget=10000",
      `--force-device-scale-factor=${SCALE}`,
      ...args,
    ],
    { encoding: "utf8", timeout: 120_000 },
  );
  if (result.status !== 0)
    fail(`${chromium} exited ${result.status ?? result.signal}:\n${result.stderr}`);
  return result.stdout;
}

const html = mermaidBlocks(
  githubAlerts(
    micromark(commentMarkdown(), {
      allowDangerousHtml: true,
      extensions: [gfm()],
      htmlExtensions: [gfmHtml()],
    }),
  ),
);
const dir = mkdtempSync(join(tmpdir(), "comment-png-"));
try {
  const file = join(dir, "comment.html");
  writeFileSync(file, page(html));
  const url = pathToFileURL(file).href;
  /** Loads the page at `width` CSS px; returns its rendered height and how far a table overflows. */
  const measure = (width) => {
    const dom = runChromium([`--window-size=${width},1000`, "--dump-dom", url]);
    const title = /<title>rendered (\d+) (\d+) ([^<]*)<\/title>/.exec(dom);
    if (!title) fail("the page did not finish rendering within Chromium's virtual time budget");
    if (title[3] !== "ok") fail(`the mermaid chart was not drawn (${title[3]})`);
    return { height: Number(title[1]), overflow: Number(title[2]) };
  };
  let width = WIDTH;
  let { height, overflow } = measure(width);
  if (overflow > 0) {
    // Not hidden: on GitHub this table scrolls sideways at a comment's width.
    console.warn(
      `comment:png: a table is ${overflow} px wider than a ${WIDTH} px comment (GitHub scrolls it); the picture is widened to show it whole`,
    );
    width += overflow;
    ({ height } = measure(width));
  }
  runChromium([`--window-size=${width},${height}`, `--screenshot=${target}`, url]);
  console.log(`wrote docs/comment.png (${width}×${height} CSS px at ${SCALE}×)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
