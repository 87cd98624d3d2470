import { constants } from "node:fs";
import { access, realpath, stat } from "node:fs/promises";
import path from "node:path";

/** Pseudo file systems: writing a report there fails or does something else entirely. */
const SPECIAL_ROOTS = ["/proc", "/sys", "/dev"];

const within = (file: string, root: string) => file === root || file.startsWith(`${root}/`);

/** The real path of `file` (symlinks followed), or its absolute path when it does not exist. */
async function realOrAbsolute(file: string): Promise<string> {
  return realpath(file).catch(() => path.resolve(file));
}

/** The nearest existing ancestor directory of `file`, and whether it is a directory. */
async function nearestExisting(dir: string): Promise<{ dir: string; isDir: boolean }> {
  for (let current = dir; ; current = path.dirname(current)) {
    const info = await stat(current).catch(() => undefined);
    if (info) return { dir: current, isDir: info.isDirectory() };
    if (path.dirname(current) === current) return { dir: current, isDir: false };
  }
}

/**
 * Why `target` cannot take an output file, checked before any work starts (so a run is never thrown away
 * at its end): a directory, a device or pseudo file (`/proc`, `/sys`, `/dev`), a place this user cannot
 * write, or one of the run's own input files or directories (`inputs`: the pipeline, its training data,
 * prompt files), which would be overwritten. Undefined when it can be written.
 */
export async function outputTargetProblem(
  target: string,
  inputs: readonly string[],
  cwd: string,
): Promise<string | undefined> {
  const absolute = path.resolve(target);
  const real = await realOrAbsolute(absolute);
  if (SPECIAL_ROOTS.some((root) => within(absolute, root) || within(real, root)))
    return "it is on a pseudo file system (/proc, /sys, /dev)";
  for (const input of await Promise.all(inputs.map(realOrAbsolute))) {
    const isDir = (await stat(input).catch(() => undefined))?.isDirectory() ?? false;
    if (real === input || (isDir && within(real, input)))
      return `it is ${real === input ? "" : "inside "}an input of this run (${path.relative(cwd, input) || input}); it would be overwritten`;
  }
  const info = await stat(real).catch(() => undefined);
  if (info?.isDirectory()) return "it is a directory";
  if (info && !info.isFile()) return "it is not a regular file";
  if (info) {
    const writable = await access(real, constants.W_OK).then(
      () => true,
      () => false,
    );
    return writable ? undefined : "it is not writable";
  }
  const parent = await nearestExisting(path.dirname(real));
  if (!parent.isDir) return `${path.relative(cwd, parent.dir) || parent.dir} is not a directory`;
  const writable = await access(parent.dir, constants.W_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
  return writable ? undefined : `${parent.dir} is not writable`;
}
