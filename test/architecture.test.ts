import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { checkImports, importsOf } from "./support/import-rules.js";

const root = resolve(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "generated" ? [] : sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** Synthetic files at their paths under the root, to show the checker catches each kind of fault. */
const tree = (files: Record<string, string>) =>
  new Map(Object.entries(files).map(([path, text]) => [join(root, path), text]));

describe("architecture", () => {
  it("points every import of src/, bot/ and bench/ down the layers, through index.ts, without cycles", () => {
    const files = ["src", "bot", "bench"].flatMap((dir) => sourceFiles(join(root, dir)));
    const violations = checkImports(root, new Map(files.map((f) => [f, readFileSync(f, "utf8")])));
    expect(violations).toEqual([]);
  });

  it("refuses a face importing providers/ or cache/ directly, side-effect imports included", () => {
    expect(
      checkImports(
        root,
        tree({
          "src/cli/commands/run.ts":
            'import { createLanguageModel } from "../../providers/index.js";',
          "src/action/engine-runner.ts": 'import "../cache/index.js";',
          "bot/app.ts": 'export * from "../src/providers/index.js";',
        }),
      ),
    ).toEqual([
      "src/cli/commands/run.ts: layer cli may not import providers (../../providers/index.js)",
      "src/action/engine-runner.ts: layer action may not import cache (../cache/index.js)",
      "bot/app.ts: layer bot may not import providers (../src/providers/index.js)",
    ]);
  });

  it("keeps render for the faces, and GitHub packages out of the layers below them", () => {
    expect(
      checkImports(
        root,
        tree({
          "src/engine/run-workflow.ts":
            'import { renderMarkdownReport } from "../render/index.js";',
          "src/render/render-markdown.ts": 'import type { Step } from "../config/index.js";',
          "src/report/recommend.ts": 'import * as core from "@actions/core";',
        }),
      ),
    ).toEqual([
      "src/engine/run-workflow.ts: layer engine may not import render (../render/index.js)",
      "src/render/render-markdown.ts: layer render may not import config (../config/index.js)",
      "src/report/recommend.ts: imports @actions/core below the faces",
    ]);
  });

  it("refuses a bench reaching past a layer's index.ts, and an import cycle inside a layer", () => {
    expect(
      checkImports(
        root,
        tree({
          "bench/cache-tiers.ts": 'import { DiskTier } from "../src/cache/disk-tier.js";',
          "src/engine/a.ts": 'import { b } from "./b.js";',
          "src/engine/b.ts": 'import type { C } from "./c/index.js";',
          "src/engine/c/index.ts": 'export { a } from "../a.js";',
        }),
      ),
    ).toEqual([
      "bench/cache-tiers.ts: import cache/index.js, not ../src/cache/disk-tier.js",
      "import cycle: src/engine/a.ts → src/engine/b.ts → src/engine/c/index.ts → src/engine/a.ts",
    ]);
  });

  it("reads every form of import", () => {
    expect(
      importsOf(
        [
          'import "./side-effect.js";',
          'import type { A } from "./a.js";',
          'export * from "./b.js";',
          'const c = await import("./c.js");',
          'import {\n  d,\n} from "./d.js";',
        ].join("\n"),
      ),
    ).toEqual(["./side-effect.js", "./a.js", "./b.js", "./c.js", "./d.js"]);
  });
});
