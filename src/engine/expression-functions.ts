/** Resolves a dotted name (`analysis.score`, `steps.x.y`, `previous_response:step:field`) to a value. */
export type Resolver = (path: string) => unknown;

/** What a function may use: the run clock, the caller's resolver, and a nested evaluator (for `any`/`all`). */
export interface FunctionContext {
  now(): number;
  resolve: Resolver;
  evaluate(source: string, scope: Resolver): unknown;
}

/** An unknown function name: a typed error the caller reports with the step's name. */
export class UnknownFunctionError extends Error {
  override readonly name = "UnknownFunctionError";
  readonly code = "UNKNOWN_FUNCTION";
}

const num = (v: unknown): number =>
  typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
const list = (v: unknown): unknown[] =>
  Array.isArray(v)
    ? v
    : v === null || v === undefined
      ? []
      : typeof v === "object"
        ? Object.values(v)
        : [v];
const text = (v: unknown): string =>
  typeof v === "string"
    ? v
    : v === null || v === undefined
      ? ""
      : typeof v === "object"
        ? JSON.stringify(v)
        : String(v);
const numbers = (v: unknown): number[] =>
  list(v)
    .map(num)
    .filter((n) => !Number.isNaN(n));
const DAY_MS = 86_400_000;

/** Resolves names against a list item first (`any(issues, 'severity == "high"')`), then the outer scope. */
function itemScope(item: unknown, outer: Resolver): Resolver {
  return (path) => {
    if (path === "item" || path === "this") return item;
    if (item !== null && typeof item === "object") {
      let value: unknown = item;
      for (const key of path.split("."))
        value =
          value !== null && typeof value === "object"
            ? (value as Record<string, unknown>)[key]
            : undefined;
      if (value !== undefined) return value;
    }
    return outer(path);
  };
}

/**
 * Calls one of the functions pipeline_ex's condition engine offers (lib/pipeline/condition/functions.ex):
 * collections (`length`, `count`, `sum`, `average`, `min`, `max`, `any`, `all`), strings (`contains`,
 * `matches`, `startsWith`, `endsWith`, `upper`, `lower`, `trim`, `join`), numbers (`between`, `add`,
 * `subtract`, `multiply`, `divide`, `round`, `abs`), time in milliseconds (`now`, `days`, `hours`,
 * `minutes`) and `exists`. Throws {@link UnknownFunctionError} for any other name.
 */
export function callFunction(name: string, args: unknown[], fx: FunctionContext): unknown {
  const [a, b, c] = args;
  switch (name) {
    case "length":
      return typeof a === "string" ? a.length : list(a).length;
    case "count":
      return b === undefined
        ? list(a).length
        : list(a).filter((item) => Boolean(fx.evaluate(text(b), itemScope(item, fx.resolve))))
            .length;
    case "sum":
      return numbers(a).reduce((s, n) => s + n, 0);
    case "average":
    case "avg": {
      const ns = numbers(a);
      return ns.length === 0 ? 0 : ns.reduce((s, n) => s + n, 0) / ns.length;
    }
    case "min":
      return args.length > 1 ? Math.min(...numbers(args)) : Math.min(...numbers(a));
    case "max":
      return args.length > 1 ? Math.max(...numbers(args)) : Math.max(...numbers(a));
    case "any":
      return list(a).some((item) => Boolean(fx.evaluate(text(b), itemScope(item, fx.resolve))));
    case "all":
      return list(a).every((item) => Boolean(fx.evaluate(text(b), itemScope(item, fx.resolve))));
    case "contains":
      return Array.isArray(a) ? a.some((x) => text(x) === text(b)) : text(a).includes(text(b));
    case "matches":
      return new RegExp(text(b)).test(text(a));
    case "startsWith":
      return text(a).startsWith(text(b));
    case "endsWith":
      return text(a).endsWith(text(b));
    case "upper":
      return text(a).toUpperCase();
    case "lower":
      return text(a).toLowerCase();
    case "trim":
      return text(a).trim();
    case "join":
      return list(a)
        .map(text)
        .join(b === undefined ? ", " : text(b));
    case "between":
      return num(a) >= num(b) && num(a) <= num(c);
    case "add":
      return num(a) + num(b);
    case "subtract":
      return num(a) - num(b);
    case "multiply":
      return num(a) * num(b);
    case "divide":
      return num(b) === 0 ? 0 : num(a) / num(b);
    case "round":
      return Number(num(a).toFixed(b === undefined ? 0 : num(b)));
    case "abs":
      return Math.abs(num(a));
    case "now":
      return fx.now();
    case "days":
      return num(a) * DAY_MS;
    case "hours":
      return (num(a) * DAY_MS) / 24;
    case "minutes":
      return num(a) * 60_000;
    case "exists":
      return a !== undefined && a !== null;
    default:
      throw new UnknownFunctionError(`unknown function '${name}()'`);
  }
}
