import { readFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "./expression.js";
import { StepFailure, type ExecContext, type PromptStep } from "./exec-context.js";
import { getPath } from "./step-results.js";
import { isRecord } from "../report/index.js";

/** A prompt part, typed by the schema (parts reach here validated, their templates rendered). */
type Part = PromptStep["prompt"][number];
type PartOf<T extends Part["type"]> = Extract<Part, { type: T }>;

/**
 * Formats a step result as pipeline_ex's `PromptBuilder.format_result/1`: a map's `text` or `content`
 * field when it has one, else the map as pretty JSON; strings as they are.
 */
export function formatResult(result: unknown): string {
  if (isRecord(result)) {
    const map = result;
    if (typeof map.text === "string") return map.text;
    if (typeof map.content === "string") return map.content;
  }
  return stringify(result);
}

/** Resolves a `file` part's path: absolute as is, else against the working directory (pipeline_ex reads it relative to its cwd). */
export function resolveWorkPath(workdir: string, file: string): string {
  return path.isAbsolute(file) ? file : path.resolve(workdir, file);
}

async function filePart(part: PartOf<"file">, stepName: string, ctx: ExecContext): Promise<string> {
  const given = stringify(part.path);
  const full = resolveWorkPath(ctx.workdir, given);
  try {
    return await readFile(full, {
      encoding: (part.encoding ?? "utf8") as BufferEncoding,
    });
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? "does not exist"
        : `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`;
    const hint = given.includes("{{")
      ? "; its path has a template no input or variable provides"
      : "; paths are relative to the working directory (--workdir)";
    throw new StepFailure(
      `step '${stepName}': prompt file '${given}' ${why} (looked at ${full}${hint})`,
      "file_not_found",
    );
  }
}

function previousResponsePart(
  part: PartOf<"previous_response">,
  stepName: string,
  ctx: ExecContext,
): string {
  const source = stringify(part.step);
  const result = ctx.state.results.get(source);
  if (result === undefined && !ctx.state.results.has(source)) {
    throw new StepFailure(
      `step '${stepName}': previous_response refers to step '${source}', which has no result (it has not run yet, or does not exist)`,
      "missing_previous_response",
    );
  }
  let text: string;
  // `extract` may come from a template (`{{loop.field}}`), which can render to a non-string.
  if (typeof part.extract === "string" && part.extract !== "") {
    const value = getPath(result, part.extract.split("."));
    if (value === undefined) {
      const message = `step '${stepName}': field '${part.extract}' not found in the result of step '${source}'`;
      if (part.strict === true) throw new StepFailure(message, "extract_missing");
      ctx.warnOnce(
        `extract:${stepName}:${source}:${part.extract}`,
        `${message}; using the whole result (set strict: true to fail instead)`,
      );
      text = formatResult(result);
    } else {
      text = formatResult(value);
    }
  } else {
    text = formatResult(result);
  }
  const max = part.max_length;
  return max !== undefined && text.length > max ? text.slice(0, max) : text;
}

function sessionPart(
  part: PartOf<"session_context" | "claude_continue">,
  ctx: ExecContext,
): string {
  const messages = ctx.state.sessions.get(stringify(part.session_id)) ?? [];
  // claude_continue has no `include_last_n` in the schema; one written there anyway is still read.
  const unlisted: Readonly<Record<string, unknown>> = part;
  const n = typeof unlisted.include_last_n === "number" ? unlisted.include_last_n : messages.length;
  const recent = n > 0 ? messages.slice(-n) : [];
  const history = recent.map((m) => `${m.role}: ${m.content}`).join("\n");
  return part.type === "claude_continue"
    ? [history, stringify(part.new_prompt)].filter(Boolean).join("\n")
    : history;
}

/**
 * Builds a step's prompt from its (already interpolated) parts, joined by newlines as pipeline_ex's
 * `Pipeline.PromptBuilder.build/2` does: `static` text, `file` contents, `previous_response`
 * (whole result, or the `extract` dot path; a missing field warns and uses the whole result unless
 * `strict: true`), and session history for `session_context` / `claude_continue`.
 * Throws {@link StepFailure} naming the step and the path when a file is missing.
 */
export function buildPrompt(parts: unknown, stepName: string, ctx: ExecContext): Promise<string> {
  try {
    const inline = buildInlinePrompt(parts, stepName, ctx);
    return inline === undefined
      ? buildWithFiles(parts as unknown[], stepName, ctx)
      : Promise.resolve(inline);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * {@link buildPrompt} without waiting, for prompts with no `file` part (undefined for the others):
 * it spares an LLM step an await per call (engine-overhead bench). Throws {@link StepFailure} as it does.
 */
export function buildInlinePrompt(
  parts: unknown,
  stepName: string,
  ctx: ExecContext,
): string | undefined {
  return Array.isArray(parts) && parts.some(isFilePart)
    ? undefined
    : buildInline(parts, stepName, ctx);
}

const isFilePart = (part: unknown): boolean => (part as Part | null)?.type === "file";

function buildInline(parts: unknown, stepName: string, ctx: ExecContext): string {
  if (!Array.isArray(parts)) return typeof parts === "string" ? parts : "";
  let prompt = "";
  for (let i = 0; i < parts.length; i++) {
    const text = inlinePart((parts[i] ?? {}) as Part, stepName, ctx);
    prompt = i === 0 ? text : `${prompt}\n${text}`;
  }
  return prompt;
}

async function buildWithFiles(
  parts: unknown[],
  stepName: string,
  ctx: ExecContext,
): Promise<string> {
  const out: string[] = [];
  for (const raw of parts) {
    const part = (raw ?? {}) as Part;
    out.push(
      part.type === "file" ? await filePart(part, stepName, ctx) : inlinePart(part, stepName, ctx),
    );
  }
  return out.join("\n");
}

/** Every part but `file`: built without waiting on anything. */
function inlinePart(part: Part, stepName: string, ctx: ExecContext): string {
  if (part.type === "static") return stringify(part.content);
  if (part.type === "previous_response") return previousResponsePart(part, stepName, ctx);
  if (part.type === "session_context" || part.type === "claude_continue")
    return sessionPart(part, ctx);
  throw new StepFailure(
    `step '${stepName}': prompt part type '${stringify(part.type)}' is not supported`,
    "bad_prompt_part",
  );
}
