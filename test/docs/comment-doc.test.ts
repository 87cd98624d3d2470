import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const marker = "<!-- the comment, verbatim (npm run comment:md) -->";

/** docs/comment.md as `npm run comment:md` would write it now: the script run as that command runs it. */
function regenerate(): string {
  const result = spawnSync(
    process.execPath,
    [resolve(root, "scripts/render-demo-comment.mjs"), "--stdout"],
    { cwd: root, encoding: "utf8" },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

describe("docs/comment.md", () => {
  it("is the comment a fresh run of the demo makes, byte for byte", () => {
    const committed = readFileSync(resolve(root, "docs/comment.md"), "utf8");
    const fresh = regenerate();
    const a = committed.split("\n");
    const b = fresh.split("\n");
    const line = a.findIndex((text, i) => text !== b[i]);
    const where =
      line === -1
        ? `the fresh page has ${b.length - a.length} more line(s)`
        : `first difference at line ${line + 1}:\n  committed: ${JSON.stringify(a[line])}\n  fresh:     ${JSON.stringify(b[line] ?? "(end of file)")}`;
    expect(
      committed === fresh,
      `docs/comment.md is out of date (${where})\nRefresh it: npm run comment:md (and npm run comment:png for its picture), then commit both.`,
    ).toBe(true);
  });

  it("holds the comment verbatim below the marker: the report marker first, no absolute path", () => {
    const page = readFileSync(resolve(root, "docs/comment.md"), "utf8");
    const comment = page.slice(page.indexOf(marker) + marker.length).trimStart();
    expect(page).toContain(marker);
    // The comment opens with the HTML comment the Action finds its own comment by.
    expect(comment).toMatch(/^<!-- hybrid-pipeline[^>]*-->\n/);
    expect(comment).not.toMatch(/(^|[\s(`"'])(\/(tmp|home|work|Users|var)\/|[A-Z]:\\)/m);
  });
});
