import type { StepExecutor } from "../exec-context.js";

/** `local` is the loop scope (pipeline_ex's name for it). */
const SCOPES = { global: "global", session: "session", local: "loop" } as const;

/**
 * `set_variable`: assigns `variables` (already interpolated, so `"{{state.counter + 1}}"` is a number)
 * in `scope` (`global` by default; `local` is the loop scope), as pipeline_ex's
 * `Pipeline.Step.SetVariable` (the loader reads the older `variable:` + `value:` form as `variables`).
 * The result lists what was set and carries each value under its name, so later steps can use
 * `previous_response:<step>:<name>`.
 */
export const runSetVariable: StepExecutor<"set_variable"> = async (step, ctx) => {
  const variables: Record<string, unknown> = { ...step.variables };
  const scope = SCOPES[step.scope ?? "global"];
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
export const runTestEcho: StepExecutor<"test_echo"> = async (step) => ({
  result: { result: step.value ?? null, success: true },
});
