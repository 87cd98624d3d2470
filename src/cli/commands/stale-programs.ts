import { readFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { isMap, LineCounter, parseDocument } from "yaml";
import type { MetricSpec, Problem, Workflow } from "../../config/index.js";
import { describeChanges, readProgramFile, resolveSignature } from "../../optimize/index.js";

/** 1-based line and column of `workflow.steps[index]` in the file, else 1:1. */
function stepPosition(text: string, index: number): { line: number; col: number } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const node = doc.getIn(["workflow", "steps", index], true);
  const offset = isMap(node) && node.range ? node.range[0] : 0;
  const pos = lineCounter.linePos(offset);
  return { line: Math.max(1, pos.line), col: Math.max(1, pos.col) };
}

/**
 * One problem per committed program (`.hybrid-pipeline/programs/`) whose inputs changed since it
 * was compiled, or that cannot be read: warnings, or errors under `validate --strict`.
 */
export async function staleProgramProblems(
  file: string,
  workflow: Workflow,
  workdir: string,
  severity: Problem["severity"],
): Promise<Problem[]> {
  const problems: Problem[] = [];
  let text: string | undefined;
  for (const [index, step] of workflow.steps.entries()) {
    if (!resolveSignature(step, workflow)) continue;
    const program = await readProgramFile({
      workdir,
      workflowFile: file,
      step: {
        name: step.name,
        ...(step.signature ? { signature: step.signature } : {}),
        ...(step.metric ? { metric: step.metric as MetricSpec } : {}),
      },
      workflow,
    });
    const message =
      program.kind === "committed" && program.changed.length > 0
        ? `step '${step.name}': the committed program ${relative(workdir, program.path)} is stale (${describeChanges(program.changed)} since it was compiled)`
        : program.kind === "invalid"
          ? `step '${step.name}': ${program.message}`
          : undefined;
    if (!message) continue;
    text ??= await readFile(resolve(workdir, file), "utf8");
    problems.push({
      code: "STALE_PROGRAM",
      severity,
      file,
      ...stepPosition(text, index),
      message,
      hint: `run \`hybrid-pipeline optimize ${file} --step ${step.name} --write\` and commit the program files`,
    });
  }
  return problems;
}
