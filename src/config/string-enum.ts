import { Type, type SchemaOptions, type TUnsafe } from "@sinclair/typebox";

/** A string restricted to `values`, emitted as a JSON Schema `enum` (one clear error, unlike `anyOf` of consts). */
export function stringEnum<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: "string", enum: [...values] });
}
