/** Prefixes of pipeline_ex templates that say where a value lives, not what it is (`{{steps.x.result}}`, `{{inputs.x}}`). */
const namespaces = new Set([
  "steps",
  "inputs",
  "input",
  "global_vars",
  "vars",
  "variables",
  "workflow",
  "loop",
  "previous_response",
  "state",
  "context",
]);

/** A snake_case identifier (`^[a-z_][a-z0-9_]*$`) made from `text`, or `fallback` when nothing usable is left. */
export function snakeCase(text: string, fallback: string): string {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const name = words.join("_");
  if (!name) return fallback;
  return /^[0-9]/.test(name) ? `${fallback}_${name}` : name;
}

/**
 * The field name a template expression suggests: its identifiers without location prefixes and without a final
 * `result` (`steps.review.result` → `review`, `inputs.item_name` → `item_name`, `analyze_code.score` → `analyze_code_score`).
 */
export function nameFromExpression(expression: string): string {
  const words = expression.match(/[A-Za-z_][A-Za-z0-9_-]*/g) ?? [];
  const meaningful = words.filter(
    (w, i) =>
      !(namespaces.has(w) && i === 0) && !(w === "result" && i === words.length - 1 && i > 0),
  );
  return snakeCase(meaningful.join("_"), "value");
}

/** Hands out names unique within one signature: the second `code` becomes `code_2`. */
export class UniqueNames {
  private readonly taken = new Set<string>();

  claim(name: string): string {
    let candidate = name;
    for (let n = 2; this.taken.has(candidate); n++) candidate = `${name}_${n}`;
    this.taken.add(candidate);
    return candidate;
  }
}
