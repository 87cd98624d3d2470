import { StepFailure, type StepExecutor } from "../exec-context.js";

const SCOPES: Record<string, "global" | "session" | "loop"> = {
  global: "global",
  session: "session",
  loop: "loop",
  local: "loop",
};

/**
 * `set_variable`: assigns `variables` (already interpolated, so `"{{state.counter + 1}}"` is a number)
 * in `scope` (`global` by default; `local` is the loop scope), as pipeline_ex's
 * `Pipeline.Step.SetVariable`. The older one-variable form `variable:` + `value:` is accepted too.
 * The result lists what was set and carries each value under its name, so later steps can use
 * `previous_response:<step>:<name>`.
 */
export const runSetVariable: StepExecutor = async (step, ctx) => {
  const variables: Record<string, unknown> =
    step.variables !== null && typeof step.variables === "object" && !Array.isArray(step.variables)
      ? { ...(step.variables as Record<string, unknown>) }
      : typeof step.variable === "string"
        ? { [step.variable]: step.value ?? null }
        : {};
  const scopeName = typeof step.scope === "string" ? step.scope : "global";
  const scope = SCOPES[scopeName];
  if (!scope)
    throw new StepFailure(
      `step '${step.name}': scope '${scopeName}' is not one of global, session, local`,
      "bad_scope",
    );
  // Mutate in place: global and session maps are shared with enclosing loops, the loop map is per iteration.
  Object.assign(ctx.state.variables[scope], variables);
  return {
    result: {
      ...variables,
      variables_set: Object.keys(variables),
      scope,
      variable_count: Object.keys(variables).length,
    },
  };
};

/** `test_echo` (pipeline_ex's test environment): its result is `{result: value}`. */
export const runTestEcho: StepExecutor = async (step) => ({
  result: { result: step.value ?? null, success: true },
});
