import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");

/** Which layers each layer may import (DESIGN.md "Layers": arrows point down only). */
const allowed: Record<string, string[]> = {
  stats: [],
  config: [],
  providers: ["report"],
  report: ["stats"],
  render: ["stats", "report"],
  cache: ["report"],
  optimize: ["stats", "config", "providers", "cache", "report"],
  migrate: ["config", "optimize"],
  engine: ["stats", "config", "optimize", "cache", "providers", "report"],
  cli: [
    "stats",
    "config",
    "optimize",
    "cache",
    "providers",
    "report",
    "render",
    "migrate",
    "engine",
  ],
  action: [
    "stats",
    "config",
    "optimize",
    "cache",
    "providers",
    "report",
    "render",
    "migrate",
    "engine",
  ],
  bot: [
    "stats",
    "config",
    "optimize",
    "cache",
    "providers",
    "report",
    "render",
    "migrate",
    "engine",
  ],
};
const facesOnly = /^(@actions\/|probot$|@probot\/|@octokit\/)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

function layerOf(file: string): string | undefined {
  const parts = relative(root, file).split(sep);
  if (parts[0] === "bot") return "bot";
  return parts[0] === "src" ? parts[1] : undefined;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [
    ...text.matchAll(
      /(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
    ),
  ];
  return specifiers.map((m) => (m[1] ?? m[2])!);
}

const files = [...sourceFiles(join(root, "src")), ...sourceFiles(join(root, "bot"))];

describe("architecture", () => {
  it("points every import down the layers, and other layers only at a folder's index.ts", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file)!;
      for (const spec of importsOf(file)) {
        const where = relative(root, file);
        if (facesOnly.test(spec) && !["cli", "action", "bot"].includes(from)) {
          violations.push(`${where}: imports ${spec} below the faces`);
        }
        if (!spec.startsWith(".")) continue;
        const target = resolve(dirname(file), spec);
        const to = layerOf(target);
        if (!to || to === from) continue;
        if (!(allowed[from] ?? []).includes(to))
          violations.push(`${where}: layer ${from} may not import ${to} (${spec})`);
        const entry = relative(root, target).split(sep);
        const isIndex = entry.at(-1) === "index.js" && entry.length === (to === "bot" ? 2 : 3);
        if (!isIndex) violations.push(`${where}: import ${to}/index.js, not ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
