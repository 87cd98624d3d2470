import { readFile } from "node:fs/promises";
import { canonicalJson, contentHash } from "../../cache/index.js";
import { programInputs, type ProgramInputStep } from "../../optimize/index.js";
import type { StepFingerprint } from "../../report/index.js";
import { isRecord } from "../../report/index.js";
import type { ExecContext, RawStep } from "../exec-context.js";
import { stepAsWritten } from "../execute-step.js";
import { resolveWorkPath } from "../prompt-builder.js";
import type { StepProgram } from "./step-program.js";

/** Hex digits kept of each SHA-256: enough to tell versions of one step apart, short in the JSON. */
const SHORT = 12;

const short = (hex: string): string => hex.slice(0, SHORT);

/** A `file` part's contents, or a marker when it cannot be read (the run reports that failure itself). */
async function fileContents(part: Record<string, unknown>, workdir: string): Promise<string> {
  const path = typeof part.path === "string" ? part.path : "";
  try {
    return await readFile(resolveWorkPath(workdir, path), "utf8");
  } catch {
    return `unreadable:${path}`;
  }
}

/**
 * The prompt as the step writes it: `file` parts replaced by their contents (a PR that edits the prompt
 * file changes the prompt), other parts as written (templates unrendered), and the system prompt.
 */
async function promptHash(step: RawStep, workdir: string): Promise<string | null> {
  const written = stepAsWritten(step);
  const parts: unknown = written.prompt;
  const options = isRecord(written.claude_options) ? written.claude_options : {};
  if (parts === undefined && options.system_prompt === undefined) return null;
  const resolved = Array.isArray(parts)
    ? await Promise.all(
        parts.map(async (part: unknown) =>
          isRecord(part) && part.type === "file"
            ? { type: "file", contents: await fileContents(part, workdir) }
            : part,
        ),
      )
    : (parts ?? null);
  return short(
    contentHash(canonicalJson({ prompt: resolved, system: options.system_prompt ?? null })),
  );
}

/**
 * Short hashes of what a step's result depends on: its prompt, and, with a signature, the signature and
 * training-data parts of its program's input hash (`programInputs`, the prompt lockfile's) and the
 * program the run used (its optimization-cache key). Never throws: a part that cannot be read is null.
 */
export async function stepFingerprint(
  step: RawStep,
  ctx: ExecContext,
  program: StepProgram | undefined,
): Promise<StepFingerprint> {
  const inputs = await programInputs(
    stepAsWritten(step) as ProgramInputStep,
    ctx.workflow,
    ctx.workdir,
  ).catch(() => undefined);
  const key = program?.compiled?.meta.cache_key;
  return {
    prompt: await promptHash(step, ctx.workdir),
    signature: inputs ? short(inputs.parts.signature) : null,
    training_data:
      inputs && inputs.parts.training_data !== "none" ? short(inputs.parts.training_data) : null,
    program: key ? short(contentHash(key)) : null,
  };
}
