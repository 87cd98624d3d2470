import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFiles, shardFiles } from "../../src/action/find-files.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "hp-find-"));
  for (const path of [
    "pipelines/a.yaml",
    "pipelines/b.yml",
    "pipelines/deep/c.yaml",
    "pipelines/skip.yaml",
    "node_modules/x/pipelines/d.yaml",
    ".github/workflows/ci.yml",
  ]) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), "workflow: {}\n");
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("findFiles and shardFiles", () => {
  it("matches globs under the workspace, sorted, with exclusions, never inside node_modules", async () => {
    expect(
      await findFiles(root, ["pipelines/**/*.{yaml,yml}", "**/d.yaml", "!pipelines/skip.yaml"]),
    ).toEqual(["pipelines/a.yaml", "pipelines/b.yml", "pipelines/deep/c.yaml"]);
  });

  it("splits the files across a matrix so that every file runs exactly once", () => {
    const files = ["a", "b", "c", "d", "e"];
    const shards = [1, 2, 3].map((index) => shardFiles(files, { index, count: 3 }));
    expect(shards).toEqual([["a", "d"], ["b", "e"], ["c"]]);
    expect(shards.flat().sort()).toEqual(files);
  });
});
