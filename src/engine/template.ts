import { evaluateExpression, stringify, type Resolver } from "./expression.js";

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;
const NO_KEYS: ReadonlySet<string> = new Set();
const WHOLE = /^\s*\{\{\s*([^{}]+?)\s*\}\}\s*$/;

/** Where templates get their values and where unresolved ones are reported. */
export interface TemplateScope {
  resolve: Resolver;
  now(): number;
  /** Called once per placeholder that resolves to nothing or does not parse; it is left as written. */
  onUnresolved?(placeholder: string): void;
}

function evaluate(expression: string, scope: TemplateScope): unknown {
  try {
    return evaluateExpression(expression, scope.resolve, scope.now);
  } catch {
    return undefined;
  }
}

/**
 * Replaces each `{{expression}}` in `text` (`{{steps.x.y}}`, `{{global_vars.x}}`, `{{inputs.x}}`,
 * `{{state.count + 1}}`, `{{multiply(inputs.a, 2)}}`, `{{previous_response:step}}`). Maps and lists
 * print as JSON. A placeholder that resolves to nothing stays as written (code under review may
 * legitimately contain braces) and is reported through `onUnresolved`; pipeline_ex prints "" there.
 */
export function renderTemplate(text: string, scope: TemplateScope): string {
  if (!text.includes("{{")) return text;
  return text.replace(PLACEHOLDER, (match, expression: string) => {
    const value = evaluate(expression, scope);
    if (value === undefined) {
      scope.onUnresolved?.(match);
      return match;
    }
    return stringify(value);
  });
}

/**
 * Interpolates every string inside `data` (maps and lists recursively), as pipeline_ex interpolates a
 * step's configuration before running it. A string that is exactly one placeholder keeps the value's
 * type (`data_source: "{{steps.list.items}}"` stays a list). Keys in `skip` are left untouched (nested
 * `steps` are interpolated when they run, with their loop variables).
 */
export function interpolateData(
  data: unknown,
  scope: TemplateScope,
  skip: ReadonlySet<string> = NO_KEYS,
): unknown {
  // Most steps hold no placeholder at all: return them as they are instead of copying (engine-overhead bench).
  if (!hasPlaceholder(data, skip)) return data;
  if (typeof data === "string") {
    const whole = WHOLE.exec(data);
    if (whole?.[1] !== undefined) {
      const value = evaluate(whole[1], scope);
      if (value !== undefined) return value;
    }
    return renderTemplate(data, scope);
  }
  if (Array.isArray(data)) return data.map((item) => interpolateData(item, scope));
  if (data !== null && typeof data === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data))
      out[key] = skip.has(key) ? value : interpolateData(value, scope);
    return out;
  }
  return data;
}

function hasPlaceholder(data: unknown, skip: ReadonlySet<string>): boolean {
  if (typeof data === "string") return data.includes("{{");
  if (typeof data !== "object" || data === null) return false;
  if (Array.isArray(data)) {
    for (const item of data)
      if (typeof item === "string" ? item.includes("{{") : hasPlaceholder(item, NO_KEYS))
        return true;
    return false;
  }
  const map = data as Record<string, unknown>;
  // Strings are tested in place, and `skip` is looked up for a string only once it holds "{{": this walk
  // runs over every step's configuration (engine-overhead bench).
  for (const key in map) {
    const value = map[key];
    if (
      typeof value === "string"
        ? value.includes("{{") && !skip.has(key)
        : !skip.has(key) && hasPlaceholder(value, NO_KEYS)
    )
      return true;
  }
  return false;
}
