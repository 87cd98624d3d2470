import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = resolve(import.meta.dirname, "../..");
const workflow = parse(readFileSync(join(root, ".github/workflows/release.yml"), "utf8")) as {
  on: Record<string, { inputs?: Record<string, { required?: boolean }> }>;
  permissions: Record<string, string>;
  jobs: { release: { steps: Array<{ name?: string; run?: string; uses?: string }> } };
};
const steps = workflow.jobs.release.steps;
const stepIndex = (pattern: RegExp) => steps.findIndex((s) => pattern.test(s.run ?? ""));

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
}

/** A clone of a bare origin holding one commit with package.json at `version`. */
function releaseRepo(version: string): { clone: string; origin: string } {
  const dir = mkdtempSync(join(tmpdir(), "release-"));
  const origin = join(dir, "origin.git");
  const clone = join(dir, "clone");
  git(dir, "init", "-q", "--bare", origin);
  git(dir, "clone", "-q", origin, clone);
  writeFileSync(join(clone, "package.json"), JSON.stringify({ version }));
  git(
    clone,
    "-c",
    "user.name=t",
    "-c",
    "user.email=t@t",
    "commit",
    "-q",
    "--allow-empty",
    "-m",
    "one",
  );
  git(clone, "add", "package.json");
  git(clone, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "package");
  git(clone, "push", "-q", "origin", "HEAD");
  return { clone, origin };
}

function runScript(script: string, cwd: string, version: string) {
  return spawnSync("bash", [join(root, "scripts", script)], {
    cwd,
    env: { ...process.env, VERSION: version },
    encoding: "utf8",
  });
}

describe("release workflow", () => {
  it("runs only by hand with a required version, and may write tags", () => {
    expect(Object.keys(workflow.on)).toEqual(["workflow_dispatch"]);
    expect(workflow.on.workflow_dispatch!.inputs!.version!.required).toBe(true);
    expect(workflow.permissions).toEqual({ contents: "write" });
  });

  it("checks the version, dist/ and the tests before it tags, and releases after", () => {
    const check = stepIndex(/release-check-version\.sh/);
    const dist = stepIndex(/build:action[\s\S]*git status --porcelain -- dist/);
    const tests = stepIndex(/\.ci\/run/);
    const tag = stepIndex(/release-tag\.sh/);
    const release = stepIndex(/gh release create/);
    expect([check, dist, tests, tag, release].every((i) => i >= 0)).toBe(true);
    expect(check).toBeLessThan(dist);
    expect(dist).toBeLessThan(tests);
    expect(tests).toBeLessThan(tag);
    expect(tag).toBeLessThan(release);
  });

  it("tags vX.Y.Z and moves the major tag forward on the next release", () => {
    const { clone, origin } = releaseRepo("1.0.0");
    expect(runScript("release-check-version.sh", clone, "1.0.0").status).toBe(0);
    expect(runScript("release-tag.sh", clone, "1.0.0").status).toBe(0);
    const first = git(clone, "rev-parse", "HEAD");
    expect(git(origin, "rev-parse", "v1.0.0^{commit}")).toBe(first);
    expect(git(origin, "rev-parse", "v1^{commit}")).toBe(first);

    writeFileSync(join(clone, "package.json"), JSON.stringify({ version: "1.1.0" }));
    git(clone, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-am", "bump");
    git(clone, "push", "-q", "origin", "HEAD");
    expect(runScript("release-tag.sh", clone, "1.1.0").status).toBe(0);
    const second = git(clone, "rev-parse", "HEAD");
    expect(git(origin, "rev-parse", "v1.1.0^{commit}")).toBe(second);
    expect(git(origin, "rev-parse", "v1^{commit}")).toBe(second);
    expect(git(origin, "rev-parse", "v1.0.0^{commit}")).toBe(first);
  });

  it("refuses a version that is malformed, differs from package.json, or is tagged already", () => {
    const { clone } = releaseRepo("1.0.0");
    expect(runScript("release-check-version.sh", clone, "1.0").stdout).toContain("must be X.Y.Z");
    expect(runScript("release-check-version.sh", clone, "2.0.0").stdout).toContain(
      "package.json says 1.0.0",
    );
    runScript("release-tag.sh", clone, "1.0.0");
    const again = runScript("release-check-version.sh", clone, "1.0.0");
    expect(again.status).toBe(1);
    expect(again.stdout).toContain("already tagged");
  });
});
