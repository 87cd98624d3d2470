import type { Resolver } from "./expression.js";

/**
 * What steps see of a run: earlier results keyed by step name, variables set by `set_variable`
 * (scopes `global`, `session`, `loop`; lookup order loop → session → global, as pipeline_ex's
 * `Pipeline.State.VariableEngine`), the workflow's `global_vars`, nested-pipeline `inputs`,
 * loop variables, and Claude session transcripts.
 */
export interface ExecState {
  results: Map<string, unknown>;
  variables: {
    global: Record<string, unknown>;
    session: Record<string, unknown>;
    loop: Record<string, unknown>;
  };
  globalVars: Record<string, unknown>;
  inputs: Record<string, unknown>;
  loop: Record<string, unknown>;
  sessions: Map<string, Array<{ role: "user" | "assistant"; content: string }>>;
}

/** A fresh state for a (possibly nested) pipeline. */
export function createExecState(
  init: { globalVars?: Record<string, unknown>; inputs?: Record<string, unknown> } = {},
): ExecState {
  return {
    results: new Map(),
    variables: { global: {}, session: {}, loop: {} },
    globalVars: { ...(init.globalVars ?? {}) },
    inputs: { ...(init.inputs ?? {}) },
    loop: {},
    sessions: new Map(),
  };
}

/** A child state for one loop iteration: sees everything of the parent, writes its own results and loop scope. */
export function childState(parent: ExecState, loop: Record<string, unknown>): ExecState {
  return {
    ...parent,
    results: new Map(parent.results),
    variables: { ...parent.variables, loop: { ...parent.variables.loop } },
    loop: { ...parent.loop, ...loop },
  };
}

/** Follows a dotted path (`a.b.0.c`) into nested maps and lists; undefined when any segment is missing. */
export function getPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || current === undefined) return undefined;
    if (typeof current === "string" && key !== "length") current = parseJsonObject(current);
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (typeof current === "object" && current !== null)
      current = (current as Record<string, unknown>)[key];
    else return undefined;
  }
  return current;
}

/** A JSON object or array hidden in model text (bare or in a ```json fence), else undefined. */
export function parseJsonObject(text: string): Record<string, unknown> | unknown[] | undefined {
  // Cheap checks first: this runs on every LLM answer (the engine-overhead bench's hot spot).
  const fenceAt = text.indexOf("```");
  const fenced =
    fenceAt >= 0 ? /```(?:json)?[ \t]*\n([\s\S]*?)\n?```/.exec(text.slice(fenceAt)) : null;
  const candidate = (fenced?.[1] ?? text).trim();
  const closer = candidate.startsWith("{") ? "}" : candidate.startsWith("[") ? "]" : undefined;
  // "[simulated] ..." or "[1] see above" is prose: a failed JSON.parse (an exception) costs ~10 µs per answer.
  if (
    !closer ||
    !candidate.endsWith(closer) ||
    (closer === "]" && !/^\[\s*[[{"\d\-tfn\]]/.test(candidate))
  )
    return undefined;
  try {
    const parsed: unknown = JSON.parse(candidate);
    return typeof parsed === "object" && parsed !== null
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The answer text of an LLM result: Claude steps key it `text`, Gemini steps `content`. */
function answerText(result: unknown): string | undefined {
  if (result === null || typeof result !== "object" || Array.isArray(result)) return undefined;
  const map = result as Record<string, unknown>;
  if (typeof map.text === "string") return map.text;
  return typeof map.content === "string" ? map.content : undefined;
}

/**
 * `steps.<name>[.path]`. pipeline_ex writes `{{steps.x.result}}` for a step's result: unless the result has
 * its own `result` key, that is the answer text of an LLM step (else the whole result) and
 * `steps.x.result.field` a field of it. `text` and `content` both name an LLM step's answer, whichever
 * family (Claude `text`, Gemini `content`) the step belongs to.
 */
function stepField(state: ExecState, path: readonly string[]): unknown {
  const [name, ...rest] = path;
  if (name === undefined) return Object.fromEntries(state.results);
  if (!state.results.has(name)) return undefined;
  const result = state.results.get(name);
  const literal = getPath(result, rest);
  if (literal !== undefined) return literal;
  const [head, ...tail] = rest;
  if (head === "result")
    return tail.length === 0 ? (answerText(result) ?? result) : getPath(result, tail);
  if ((head === "text" || head === "content") && tail.length === 0) return answerText(result);
  return undefined;
}

/** All variables, loop scope winning over session over global. */
export function allVariables(state: ExecState): Record<string, unknown> {
  return { ...state.variables.global, ...state.variables.session, ...state.variables.loop };
}

/**
 * The resolver templates and conditions use. Roots: `steps.<name>`, `global_vars`, `inputs`, `state`
 * (variables), `loop`, `workflow`, `previous_response:<step>[:<field>]`; a bare first segment is looked
 * up as a loop variable, a variable, an input, a global var, then a step result (conditions say
 * `analysis.score > 7`).
 */
export function createResolver(state: ExecState, builtins: Record<string, unknown> = {}): Resolver {
  return (path) => {
    if (path.startsWith("previous_response:")) {
      const [, step = "", ...field] = path.split(":");
      return getPath(state.results.get(step), field.join(".").split(".").filter(Boolean));
    }
    const [root = "", ...rest] = path.split(".");
    const roots: Record<string, () => unknown> = {
      global_vars: () => state.globalVars,
      inputs: () => state.inputs,
      state: () => allVariables(state),
      variables: () => allVariables(state),
      loop: () => state.loop,
    };
    if (root === "steps") return stepField(state, rest);
    const named = roots[root];
    if (named) return getPath(named(), rest);
    const vars = allVariables(state);
    const sources: Array<Record<string, unknown>> = [
      state.loop,
      vars,
      state.inputs,
      state.globalVars,
      builtins,
    ];
    for (const source of sources)
      if (Object.hasOwn(source, root)) return getPath(source[root], rest);
    if (state.results.has(root)) return getPath(state.results.get(root), rest);
    return undefined;
  };
}
