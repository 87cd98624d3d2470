import { promptlessStepTypes, stepTypes, testOnlyStepTypes } from "./step-types.js";
import type { DataPath } from "./yaml-source.js";
import { isRecord } from "../report/index.js";

/** Why pipeline_ex's loader rejects a file: its first failing check, where, and what to do. */
export interface LoaderRejection {
  /** `not_a_workflow`: no `workflow:` section; `rejected`: any other failed check or crash. */
  kind: "not_a_workflow" | "rejected";
  path: DataPath;
  at: "key" | "value";
  message: string;
  hint: string;
}

/** Thrown where Elixir's `Access`/`Enum` would raise on the value's shape (the loader crashes, i.e. rejects). */
class AccessCrash extends Error {
  override readonly name = "AccessCrash";
  constructor(
    readonly path: DataPath,
    readonly shape: string,
  ) {
    super(`not a map: ${shape}`);
  }
}

const isNil = (v: unknown) => v === null || v === undefined;
const shapeOf = (v: unknown) =>
  Array.isArray(v) ? "a list" : typeof v === "string" ? "a string" : `a ${typeof v}`;

/** Elixir `value["key"]`: nil on nil, the value on a map, a crash on anything else. */
function get(value: unknown, key: string, path: DataPath): unknown {
  if (isNil(value)) return null;
  if (isRecord(value)) return Object.hasOwn(value, key) ? (value[key] ?? null) : null;
  throw new AccessCrash(path, shapeOf(value));
}

const supported = stepTypes.join(", ");
const promptless: readonly string[] = promptlessStepTypes;
const streamHandlers = ["console", "simple", "debug", "file", "callback", "buffer"];

/**
 * Reproduces `Pipeline.Config.load_workflow/1` of pipeline_ex ff625ec (lib/pipeline/config.ex) outside its test
 * environment (or inside it, with `testEnv`, where `test_echo` is a step type too): the same checks in the same
 * order, stopping at the first failure, and the same crashes on values of an unexpected shape. Returns `undefined`
 * when pipeline_ex would accept the file.
 */
export function pipelineExRejection(
  config: unknown,
  options: { testEnv?: boolean } = {},
): LoaderRejection | undefined {
  try {
    return checkWorkflow(
      config,
      options.testEnv ? [...testOnlyStepTypes, ...stepTypes] : stepTypes,
    );
  } catch (e) {
    if (!(e instanceof AccessCrash)) throw e;
    return {
      kind: "rejected",
      path: e.path,
      at: "value",
      message: `pipeline_ex's loader crashes here: expected a map, found ${e.shape}`,
      hint: "write a YAML map (`key: value` lines) here",
    };
  }
}

function reject(
  path: DataPath,
  message: string,
  hint: string,
  at: "key" | "value" = "value",
): LoaderRejection {
  return { kind: "rejected", path, at, message, hint };
}

function checkWorkflow(config: unknown, types: readonly string[]): LoaderRejection | undefined {
  const workflow = get(config, "workflow", []);
  if (isNil(workflow))
    return {
      ...reject(
        [],
        "missing required 'workflow' section (not a pipeline_ex workflow)",
        "put the pipeline under a top-level `workflow:` key",
      ),
      kind: "not_a_workflow",
    };
  const w = ["workflow"];
  if (isNil(get(workflow, "name", w)))
    return reject(
      w,
      "workflow missing required 'name' field",
      'add: name: "your_workflow_name"',
      "key",
    );
  const steps = get(workflow, "steps", w);
  if (!Array.isArray(steps))
    return reject(
      isNil(steps) ? w : [...w, "steps"],
      "workflow missing required 'steps' array",
      "add `steps:` with a list of steps",
      "key",
    );
  if (steps.length === 0)
    return reject(
      [...w, "steps"],
      "workflow must contain at least one step",
      "add at least one step to the 'steps' list",
    );
  const functions = get(workflow, "gemini_functions", w);
  const fnPath = [...w, "gemini_functions"];
  if (!isNil(functions)) {
    if (!isRecord(functions))
      return reject(
        fnPath,
        "gemini_functions must be a map of function definitions",
        "write `gemini_functions:` as `name: {description, parameters}` entries",
      );
    for (const [name, def] of Object.entries(functions)) {
      const p = [...fnPath, name];
      if (!isRecord(def))
        return reject(
          p,
          `function '${name}' definition must be a map`,
          "give it `description:` and `parameters:`",
        );
      if (isNil(def["description"]))
        return reject(
          p,
          `function '${name}' missing 'description' field`,
          "add `description:`",
          "key",
        );
      if (isNil(def["parameters"]))
        return reject(
          p,
          `function '${name}' missing 'parameters' field`,
          "add `parameters:` (a JSON Schema map)",
          "key",
        );
      if (!isRecord(def["parameters"]))
        return reject(
          [...p, "parameters"],
          `function '${name}' parameters must be a map`,
          "write `parameters:` as a JSON Schema map",
        );
    }
  }
  const available = isRecord(functions) ? Object.keys(functions) : [];
  for (const [i, step] of steps.entries()) {
    const failure = checkStep(step, [...w, "steps", i], available, types);
    if (failure) return failure;
  }
  return checkDependencies(steps, [...w, "steps"]);
}

function checkStep(
  step: unknown,
  p: DataPath,
  available: string[],
  types: readonly string[],
): LoaderRejection | undefined {
  const name = get(step, "name", p);
  const type = get(step, "type", p);
  if (isNil(name)) return reject(p, "step missing required 'name' field", 'add: name: "step_name"');
  if (isNil(type))
    return reject(
      p,
      `step '${String(name)}' missing required 'type' field`,
      `use one of: ${supported}`,
    );
  if (typeof type !== "string" || !types.includes(type)) {
    const testOnly =
      type === "test_echo" ? " (test_echo is accepted only in pipeline_ex's test environment)" : "";
    return reject(
      [...p, "type"],
      `step '${String(name)}' has invalid type '${String(type)}'${testOnly}`,
      `use one of: ${supported}`,
    );
  }
  const failure =
    checkTypeSpecific(step, type, String(name), p) ?? checkPrompt(step, type, String(name), p);
  if (failure) return failure;
  const functions = get(step, "functions", p);
  if (isNil(functions)) return undefined;
  if (!Array.isArray(functions))
    return reject(
      [...p, "functions"],
      `step '${String(name)}' functions must be a list`,
      "write `functions:` as a list of names",
    );
  const index = functions.findIndex((f) => !available.includes(f as string));
  if (index >= 0)
    return reject(
      [...p, "functions", index],
      `step '${String(name)}' references undefined function: ${String(functions[index])}`,
      "define it under `workflow.gemini_functions`",
    );
  return undefined;
}

function checkTypeSpecific(
  step: unknown,
  type: string,
  name: string,
  p: DataPath,
): LoaderRejection | undefined {
  if (type === "parallel_claude" && isNil(get(step, "parallel_tasks", p)))
    return reject(
      p,
      `step '${name}' of type 'parallel_claude' missing required 'parallel_tasks' field`,
      "add `parallel_tasks:`",
    );
  if (type !== "claude") return undefined;
  const options = get(step, "claude_options", p);
  const o = [...p, "claude_options"];
  const streaming = get(options, "async_streaming", o);
  if (isNil(streaming) || streaming === false) return undefined;
  if (streaming !== true)
    return reject(
      [...o, "async_streaming"],
      `step '${name}' claude_options.async_streaming must be a boolean`,
      "write true or false",
    );
  const handler = get(options, "stream_handler", o);
  if (!isNil(handler) && !streamHandlers.includes(handler as string))
    return reject(
      [...o, "stream_handler"],
      `step '${name}' claude_options.stream_handler must be one of: ${streamHandlers.join(", ")}`,
      "pick one of those handlers",
    );
  const size = get(options, "stream_buffer_size", o);
  if (!isNil(size) && !(Number.isInteger(size) && (size as number) > 0))
    return reject(
      [...o, "stream_buffer_size"],
      `step '${name}' claude_options.stream_buffer_size must be a positive integer`,
      "write a whole number above 0",
    );
  return undefined;
}

function checkPrompt(
  step: unknown,
  type: string,
  name: string,
  p: DataPath,
): LoaderRejection | undefined {
  const prompt = get(step, "prompt", p);
  if (type === "claude_batch") {
    return isNil(prompt) && isNil(get(step, "tasks", p))
      ? reject(
          p,
          `step '${name}' of type 'claude_batch' must have either 'prompt' or 'tasks' field`,
          "add `prompt:` or `tasks:`",
        )
      : undefined;
  }
  if (promptless.includes(type)) return undefined;
  const example = '[{type: static, content: "..."}]';
  if (isNil(prompt))
    return reject(p, `step '${name}' missing required 'prompt' field`, `add: prompt: ${example}`);
  if (!Array.isArray(prompt))
    return reject(
      [...p, "prompt"],
      `step '${name}' prompt must be an array of prompt parts`,
      `write it as ${example}`,
    );
  for (const [i, part] of prompt.entries()) {
    const pp = [...p, "prompt", i];
    const partType = get(part, "type", pp);
    const required: Record<string, string> = {
      static: "content",
      file: "path",
      previous_response: "step",
      session_context: "session_id",
      claude_continue: "session_id",
    };
    if (isNil(partType))
      return reject(
        pp,
        `step '${name}' has prompt part without type`,
        "add `type:` (static, file, previous_response, session_context, claude_continue)",
      );
    const field =
      typeof partType === "string" && Object.hasOwn(required, partType)
        ? required[partType]!
        : undefined;
    if (!field)
      return reject(
        [...pp, "type"],
        `step '${name}' has prompt part with invalid type: ${String(partType)}`,
        "use static, file, previous_response, session_context or claude_continue",
      );
    if (isNil(get(part, field, pp)))
      return reject(
        pp,
        `step '${name}' has ${String(partType)} prompt part without '${field}'`,
        `add \`${field}:\``,
      );
  }
  return undefined;
}

/** `validate_step_dependencies`: `Enum.filter` over `prompt || []`, so a non-list prompt crashes it too. */
function checkDependencies(steps: unknown[], p: DataPath): LoaderRejection | undefined {
  const names = steps.map((s) => get(s, "name", p));
  for (const [i, step] of steps.entries()) {
    const sp = [...p, i];
    const prompt = get(step, "prompt", sp);
    const parts = isNil(prompt) || prompt === false ? [] : prompt;
    if (typeof parts === "string" || typeof parts !== "object") {
      return reject(
        [...sp, "prompt"],
        `pipeline_ex's loader crashes here: a prompt must be a list, found ${shapeOf(parts)}`,
        'write it as [{type: static, content: "..."}]',
      );
    }
    const entries = Array.isArray(parts)
      ? parts.map((v, j) => [j, v] as const)
      : Object.keys(parts).length > 0
        ? [[0, parts] as const]
        : [];
    if (!Array.isArray(parts) && entries.length > 0)
      return reject(
        [...sp, "prompt"],
        "pipeline_ex's loader crashes here: a prompt must be a list, found a map",
        'write it as [{type: static, content: "..."}]',
      );
    const dangling = entries.filter(
      ([j, part]) =>
        get(part, "type", [...sp, "prompt", j]) === "previous_response" &&
        !names.some((n) => n === get(part, "step", [...sp, "prompt", j])),
    );
    if (dangling.length > 0) {
      const refs = dangling.map(([j, part]) => String(get(part, "step", [...sp, "prompt", j])));
      return reject(
        [...sp, "prompt", dangling[0]![0], "step"],
        `step '${String(names[i])}' references non-existent steps: ${refs.join(", ")}`,
        "name an existing top-level step",
      );
    }
  }
  return undefined;
}
