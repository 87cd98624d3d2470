import { callFunction, type Resolver } from "./expression-functions.js";

export type { Resolver };

/** A malformed expression: the caller decides whether that fails a step or leaves text as written. */
export class ExpressionError extends Error {
  override readonly name = "ExpressionError";
  readonly code = "EXPRESSION";
}

type Token =
  | { kind: "num"; value: number }
  | { kind: "str"; value: string }
  | { kind: "id"; value: string }
  | { kind: "op"; value: string };

const TOKEN =
  /\s*(?:(\d+(?:\.\d+)?)|'([^']*)'|"([^"]*)"|([A-Za-z_][\w]*(?:[.:][\w]+)*)|(==|!=|>=|<=|&&|\|\||[-+*/%()<>,!]))/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m) throw new ExpressionError(`cannot read expression '${source}' at column ${at + 1}`);
    if (m[1] !== undefined) tokens.push({ kind: "num", value: Number(m[1]) });
    else if (m[2] !== undefined || m[3] !== undefined)
      tokens.push({ kind: "str", value: m[2] ?? m[3] ?? "" });
    else if (m[4] !== undefined) tokens.push({ kind: "id", value: m[4] });
    else tokens.push({ kind: "op", value: m[5] ?? "" });
  }
  return tokens;
}

const WORD_OPS = new Set(["and", "or", "not", "contains", "matches", "between"]);

/**
 * Evaluates one pipeline_ex expression (conditions and `{{...}}` templates): `or`/`and`/`not`,
 * comparisons (`== != > < >= <= contains matches`, `x between a and b`), arithmetic with precedence,
 * function calls (`length(x)`, `any(list, 'field == 1')`, `now() - days(7)`) and dotted names.
 * Semantics follow pipeline_ex's `Pipeline.Condition.Engine` (lib/pipeline/condition/engine.ex),
 * with a real parser instead of its string splitting. Throws {@link ExpressionError} on bad syntax.
 */
export function evaluateExpression(source: string, resolve: Resolver, now: () => number): unknown {
  const tokens = tokenize(source);
  const fx = {
    now,
    resolve,
    evaluate: (inner: string, scope: Resolver) => evaluateExpression(inner, scope, now),
  };
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (w: string) => peek()?.kind === "id" && peek()?.value === w;
  const isOp = (o: string) => peek()?.kind === "op" && peek()?.value === o;
  const expectOp = (o: string) => {
    if (!isOp(o)) throw new ExpressionError(`expected '${o}' in '${source}'`);
    pos++;
  };

  const orExpr = (): unknown => {
    let left = andExpr();
    while (isWord("or") || isOp("||")) {
      pos++;
      const right = andExpr();
      left = truthy(left) || truthy(right);
    }
    return left;
  };
  const andExpr = (): unknown => {
    let left = notExpr();
    while (isWord("and") || isOp("&&")) {
      pos++;
      const right = notExpr();
      left = truthy(left) && truthy(right);
    }
    return left;
  };
  const notExpr = (): unknown => {
    if (isWord("not") || isOp("!")) {
      pos++;
      return !truthy(notExpr());
    }
    return comparison();
  };
  const comparison = (): unknown => {
    const left = additive();
    const t = peek();
    if (!t) return left;
    if (t.kind === "id" && t.value === "between") {
      pos++;
      const low = additive();
      if (!isWord("and"))
        throw new ExpressionError(`expected 'and' after 'between' in '${source}'`);
      pos++;
      return callFunction("between", [left, low, additive()], fx);
    }
    const op =
      t.kind === "op" && ["==", "!=", ">", "<", ">=", "<="].includes(t.value)
        ? t.value
        : t.kind === "id" && (t.value === "contains" || t.value === "matches")
          ? t.value
          : undefined;
    if (!op) return left;
    pos++;
    const right = additive();
    if (op === "contains" || op === "matches") return callFunction(op, [left, right], fx);
    return compare(left, right, op);
  };
  const additive = (): unknown => {
    let left = multiplicative();
    while (isOp("+") || isOp("-")) {
      const op = String(tokens[pos++]!.value);
      left = arithmetic(left, multiplicative(), op);
    }
    return left;
  };
  const multiplicative = (): unknown => {
    let left = unary();
    while (isOp("*") || isOp("/") || isOp("%")) {
      const op = String(tokens[pos++]!.value);
      left = arithmetic(left, unary(), op);
    }
    return left;
  };
  const unary = (): unknown => {
    if (isOp("-")) {
      pos++;
      return -toNumber(unary());
    }
    return primary();
  };
  const primary = (): unknown => {
    const t = tokens[pos++];
    if (!t) throw new ExpressionError(`unexpected end of expression '${source}'`);
    if (t.kind === "num" || t.kind === "str") return t.value;
    if (t.kind === "op") {
      if (t.value !== "(") throw new ExpressionError(`unexpected '${t.value}' in '${source}'`);
      const inner = orExpr();
      expectOp(")");
      return inner;
    }
    if (WORD_OPS.has(t.value)) throw new ExpressionError(`unexpected '${t.value}' in '${source}'`);
    if (t.value === "true") return true;
    if (t.value === "false") return false;
    if (t.value === "null" || t.value === "nil") return null;
    if (isOp("(")) {
      pos++;
      const args: unknown[] = [];
      while (!isOp(")")) {
        args.push(orExpr());
        if (isOp(",")) pos++;
        else if (!isOp(")")) throw new ExpressionError(`expected ',' or ')' in '${source}'`);
      }
      pos++;
      return callFunction(t.value, args, fx);
    }
    return resolve(t.value);
  };

  const value = orExpr();
  if (pos < tokens.length)
    throw new ExpressionError(`unexpected '${String(tokens[pos]!.value)}' in '${source}'`);
  return value;
}

/** pipeline_ex's truthiness, extended: null, false, 0, "", "false", empty list and empty map are false. */
export function truthy(value: unknown): boolean {
  if (
    value === null ||
    value === undefined ||
    value === false ||
    value === 0 ||
    value === "" ||
    value === "false"
  )
    return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/** A number from a number or numeric string, else NaN. */
export function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)))
    return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return Number.NaN;
}

function arithmetic(left: unknown, right: unknown, op: string): unknown {
  const [a, b] = [toNumber(left), toNumber(right)];
  if (Number.isNaN(a) || Number.isNaN(b))
    return op === "+" ? `${stringify(left)}${stringify(right)}` : 0;
  if (op === "+") return a + b;
  if (op === "-") return a - b;
  if (op === "*") return a * b;
  if (op === "/") return b === 0 ? 0 : a / b; // pipeline_ex: division by zero yields 0
  return b === 0 ? 0 : Math.trunc(a) % Math.trunc(b);
}

function compare(left: unknown, right: unknown, op: string): boolean {
  const [a, b] = [toNumber(left), toNumber(right)];
  const numeric =
    !Number.isNaN(a) && !Number.isNaN(b) && typeof left !== "boolean" && typeof right !== "boolean";
  if (op === "==" || op === "!=") {
    const equal = numeric
      ? a === b
      : JSON.stringify(left ?? null) === JSON.stringify(right ?? null);
    return op === "==" ? equal : !equal;
  }
  if (left === null || left === undefined || right === null || right === undefined) return false;
  const [x, y] = numeric ? [a, b] : [stringify(left), stringify(right)];
  if (op === ">") return x > y;
  if (op === "<") return x < y;
  if (op === ">=") return x >= y;
  return x <= y;
}

/** Text of a value as templates print it: strings as is, numbers and booleans plainly, the rest as JSON. */
export function stringify(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value, null, 2);
}
