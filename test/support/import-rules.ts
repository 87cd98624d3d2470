import { dirname, relative, resolve, sep } from "node:path";

/**
 * Which layers each layer may import (DESIGN.md "Layers": arrows point down only). Faces reach
 * `providers/` and `cache/` only through the engine (`openRun`, `openCacheTiers`); `render/` serves the
 * faces only; `bench/` measures any layer, through its index.ts like everyone else.
 */
export const allowedImports: Record<string, readonly string[]> = {
  stats: [],
  report: ["stats"],
  config: ["report"],
  providers: ["stats", "report"],
  cache: ["report"],
  optimize: ["stats", "config", "providers", "cache", "report"],
  migrate: ["config", "optimize", "report"],
  engine: ["stats", "config", "optimize", "cache", "providers", "report"],
  render: ["stats", "report"],
  cli: ["stats", "config", "optimize", "report", "render", "migrate", "engine"],
  action: ["stats", "config", "report", "render", "engine"],
  bot: ["config", "report", "render", "migrate", "engine"],
  bench: [
    "stats",
    "report",
    "config",
    "providers",
    "cache",
    "optimize",
    "migrate",
    "engine",
    "render",
    "cli",
    "action",
    "bot",
    "test",
  ],
};

const faces = new Set(["cli", "action", "bot"]);
const facesOnly = /^(@actions\/|probot$|@probot\/|@octokit\/)/;

/** The layer a file belongs to: `src/<layer>/...`, `bot/`, `bench/`, `test/`; undefined elsewhere. */
export function layerOf(root: string, file: string): string | undefined {
  const parts = relative(root, file).split(sep);
  if (parts[0] === "bot" || parts[0] === "bench" || parts[0] === "test") return parts[0];
  return parts[0] === "src" ? parts[1] : undefined;
}

/** Every module specifier a file imports: `import ... from`, `export ... from`, `import "x"`, `import("x")`. */
export function importsOf(text: string): string[] {
  const pattern =
    /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|(?:^|[\s;])import\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  return [...text.matchAll(pattern)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

function isIndex(root: string, target: string, layer: string): boolean {
  const parts = relative(root, target).split(sep);
  const depth = layer === "bot" || layer === "bench" ? 2 : 3;
  return parts.at(-1) === "index.js" && parts.length === depth;
}

/** A `.js` specifier as the `.ts` source file it names. */
const sourceOf = (target: string) => target.replace(/\.js$/, ".ts");

function cyclesWithin(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

/**
 * Checks files (absolute path → source text) against the layer table: every cross-layer import points
 * down and at a folder's index.ts, GitHub packages only in faces, and no import cycle inside a layer.
 * Returns one line per violation, empty when the tree is sound.
 */
export function checkImports(root: string, files: ReadonlyMap<string, string>): string[] {
  const violations: string[] = [];
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    const from = layerOf(root, file);
    if (!from || from === "test") continue;
    const where = relative(root, file);
    const edges: string[] = [];
    graph.set(file, edges);
    for (const spec of importsOf(text)) {
      if (facesOnly.test(spec) && !faces.has(from) && from !== "bench")
        violations.push(`${where}: imports ${spec} below the faces`);
      if (!spec.startsWith(".")) continue;
      const target = resolve(dirname(file), spec);
      const to = layerOf(root, target);
      if (to === from) {
        edges.push(sourceOf(target));
        continue;
      }
      if (!to || !(allowedImports[from] ?? []).includes(to)) {
        violations.push(
          `${where}: layer ${from} may not import ${to ?? "outside the layers"} (${spec})`,
        );
        continue;
      }
      if (to !== "test" && !isIndex(root, target, to))
        violations.push(`${where}: import ${to}/index.js, not ${spec}`);
    }
  }
  for (const cycle of cyclesWithin(graph))
    violations.push(`import cycle: ${cycle.map((f) => relative(root, f)).join(" → ")}`);
  return violations;
}
