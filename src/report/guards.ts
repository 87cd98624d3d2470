import { Type, type SchemaOptions, type TUnsafe } from "@sinclair/typebox";

/** True for a plain object (not null, not an array): the shape of a YAML map or a JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when `value` is one of `values` (narrows to their union). */
export function isOneOf<const T extends readonly string[]>(
  values: T,
  value: unknown,
): value is T[number] {
  return typeof value === "string" && (values as readonly string[]).includes(value);
}

/** A string restricted to `values`, emitted as a JSON Schema `enum` (one clear error, unlike `anyOf` of consts). */
export function stringEnum<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: "string", enum: [...values] });
}
