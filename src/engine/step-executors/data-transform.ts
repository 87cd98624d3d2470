import { evaluateCondition } from "../condition.js";
import { stringify, toNumber } from "../expression.js";
import { StepFailure, type ExecContext, type RawStep, type StepExecutor } from "../exec-context.js";
import type { Resolver } from "../expression.js";
import { getPath } from "../step-results.js";
import { asItems, resolveDataSource } from "./data-source.js";

type Op = Record<string, unknown>;
type Item = unknown;

const field = (item: Item, name: unknown): unknown =>
  typeof name === "string" ? getPath(item, name.split(".")) : undefined;

/** Names resolve against the item's fields first, then the run's scope. */
function itemResolver(item: Item, outer: Resolver): Resolver {
  return (path) => {
    const own = field(item, path);
    return own !== undefined ? own : outer(path);
  };
}

function aggregate(items: Item[], fn: string, name: unknown): unknown {
  const values = items.map((i) => (name === undefined ? i : field(i, name)));
  const numbers = values.map(toNumber).filter((n) => !Number.isNaN(n));
  switch (fn) {
    case "count":
      return values.length;
    case "sum":
      return numbers.reduce((a, b) => a + b, 0);
    case "average":
    case "avg":
    case "mean":
      return numbers.length === 0 ? 0 : numbers.reduce((a, b) => a + b, 0) / numbers.length;
    case "min":
      return numbers.length === 0 ? null : Math.min(...numbers);
    case "max":
      return numbers.length === 0 ? null : Math.max(...numbers);
    case "unique":
      return [...new Set(values.map(stringify))];
    default:
      throw new StepFailure(
        `aggregate function '${fn}' is not one of count, sum, average, min, max, unique`,
        "bad_operation",
      );
  }
}

function groupBy(items: Item[], name: unknown): Record<string, Item[]> {
  const groups: Record<string, Item[]> = {};
  for (const item of items) (groups[stringify(field(item, name))] ??= []).push(item);
  return groups;
}

function apply(op: Op, data: unknown, step: RawStep, ctx: ExecContext): unknown {
  const kind = stringify(op.operation);
  const items = () => asItems(step, data, "input_source");
  switch (kind) {
    case "filter":
      return items().filter((item) =>
        evaluateCondition(
          op.condition ?? op.field,
          itemResolver(item, ctx.templates.resolve),
          ctx.run.now,
        ),
      );
    case "map":
      return items().map((item) => {
        if (item === null || typeof item !== "object" || typeof op.field !== "string") return item;
        const current = field(item, op.field);
        const mapping = (op.mapping ?? {}) as Record<string, unknown>;
        const next = Object.hasOwn(mapping, stringify(current))
          ? mapping[stringify(current)]
          : current;
        return { ...(item as object), [op.field]: next };
      });
    case "sort": {
      const dir = op.order === "desc" ? -1 : 1;
      return [...items()].sort((a, b) => {
        const [x, y] = [field(a, op.field), field(b, op.field)];
        const [nx, ny] = [toNumber(x), toNumber(y)];
        const cmp =
          !Number.isNaN(nx) && !Number.isNaN(ny)
            ? nx - ny
            : stringify(x).localeCompare(stringify(y));
        return cmp * dir;
      });
    }
    case "group_by":
      return groupBy(items(), op.field);
    case "aggregate": {
      const fn = stringify(op.function ?? "count");
      if (op.group_by === undefined) return aggregate(items(), fn, op.field);
      return Object.fromEntries(
        Object.entries(groupBy(items(), op.group_by)).map(([k, v]) => [
          k,
          aggregate(v, fn, op.field),
        ]),
      );
    }
    case "select":
      return items().map((item) =>
        Object.fromEntries(
          (Array.isArray(op.fields) ? op.fields : []).map((f) => [String(f), field(item, f)]),
        ),
      );
    default:
      throw new StepFailure(
        `step '${step.name}': data_transform operation '${kind}' is not supported by hybrid-pipeline yet (supported: filter, map, sort, group_by, aggregate, select)`,
        "unsupported_operation",
      );
  }
}

/**
 * `data_transform`: applies `operations` in order (`filter` by condition over each item's fields,
 * `map` a field through `mapping`, `sort` by field and `order`, `group_by`, `aggregate` with
 * `function` and optional `group_by`, `select` fields) to `input_source`. The result is
 * `{<output_field or "result">: data}`; with `output_field` the data is also set as a global variable.
 */
export const runDataTransform: StepExecutor<"data_transform"> = async (step, ctx) => {
  let data = resolveDataSource(step, step.input_source, ctx, "input_source");
  for (const op of step.operations) {
    try {
      data = apply(op, data, step, ctx);
    } catch (error) {
      if (error instanceof StepFailure && !error.message.startsWith("step '"))
        throw new StepFailure(`step '${step.name}': ${error.message}`, error.code);
      throw error;
    }
  }
  const output = step.output_field || "result";
  if (output !== "result") ctx.state.variables.global[output] = data;
  return { result: { [output]: data, success: true } };
};
