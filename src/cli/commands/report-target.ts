import path from "node:path";
import type { Workflow } from "../../config/index.js";
import type { CliIo } from "../cli-io.js";
import { outputTargetProblem } from "../output-target.js";
import { runInputs } from "../run-inputs.js";

/** Why `--report-json TARGET` is refused before the run starts (see `outputTargetProblem`), if it is. */
export async function reportTargetRefusal(
  target: string | undefined,
  file: string,
  workflow: Workflow,
  io: CliIo,
  workdir: string,
): Promise<string | undefined> {
  if (target === undefined) return undefined;
  const problem = await outputTargetProblem(
    path.resolve(io.cwd, target),
    runInputs(path.resolve(io.cwd, file), workflow, workdir),
    io.cwd,
  );
  return problem && `--report-json ${target}: ${problem}; give a new file path`;
}
