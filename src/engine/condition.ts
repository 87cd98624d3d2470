import { evaluateExpression, truthy, type Resolver } from "./expression.js";

/**
 * Decides a step's `condition:` as pipeline_ex's `Pipeline.Condition.Engine.evaluate/2` does:
 * a string is an expression (`"analysis.score > 7"`, `"any(x.issues, 'severity == \"high\"')"`,
 * a bare `"step.field"` is its truthiness; `{{...}}` around all or part of it is read as parentheses), a map is `{and: [...]}`, `{or: [...]}` or `{not: ...}`,
 * a list is an implicit `and`, a boolean is itself and nothing means true.
 * Throws `ExpressionError` on a malformed expression; the executor fails the step with it.
 */
export function evaluateCondition(
  condition: unknown,
  resolve: Resolver,
  now: () => number,
): boolean {
  if (condition === undefined || condition === null) return true;
  if (typeof condition === "boolean") return condition;
  if (typeof condition === "number") return condition !== 0;
  if (typeof condition === "string")
    return truthy(evaluateExpression(unwrapPlaceholders(condition), resolve, now));
  if (Array.isArray(condition)) return condition.every((c) => evaluateCondition(c, resolve, now));
  if (typeof condition === "object") {
    const map = condition as Record<string, unknown>;
    let result = true;
    if ("and" in map) result &&= asList(map.and).every((c) => evaluateCondition(c, resolve, now));
    if ("or" in map) result &&= asList(map.or).some((c) => evaluateCondition(c, resolve, now));
    if ("not" in map) result &&= !evaluateCondition(map.not, resolve, now);
    return result;
  }
  return false;
}

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;

/**
 * pipeline_ex's docs write conditions as templates too: `"{{state.count < state.max}}"`, or
 * `"{{steps.review.score}} > 7"`. Each `{{expr}}` becomes `(expr)`, so the whole is one expression with
 * the same meaning as without braces.
 */
function unwrapPlaceholders(condition: string): string {
  return condition.includes("{{")
    ? condition.replace(PLACEHOLDER, (_, inner: string) => `(${inner})`)
    : condition;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}
