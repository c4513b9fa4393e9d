/**
 * @module
 * Deserialized parameter values coerced to the JSON types of their schema.
 * Coercion is strict: a string that is not exactly an integer, a JSON number or
 * `true`/`false` stays a string, so the validator reports the type mismatch.
 */
import type { Coercion } from "./parameters.ts";
import type { Raw } from "./styles.ts";

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/**
 * The first of the schema's non-string types the text is exactly written as;
 * otherwise the text itself. `null` is written as the empty string, the only
 * way style serialization can carry it.
 */
export function coerceScalar(text: string, types: readonly string[]): unknown {
  for (const type of types) {
    if (type === "integer" && INTEGER.test(text) && text !== "-0") {
      const value = Number(text);
      if (Number.isFinite(value)) return value;
    } else if (type === "number" && NUMBER.test(text)) {
      const value = Number(text);
      if (Number.isFinite(value)) return value;
    } else if (type === "boolean" && (text === "true" || text === "false")) {
      return text === "true";
    } else if (type === "null" && text === "") {
      return null;
    }
  }
  return text;
}

export function coerce(value: Raw, coercion: Coercion | undefined): unknown {
  if (typeof value === "string") return coercion ? coerceScalar(value, coercion.types) : value;
  if (Array.isArray(value)) return value.map((item) => coerce(item, coercion?.items));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, coerce(item, propertyCoercion(coercion, key))]));
}

export function propertyCoercion(coercion: Coercion | undefined, key: string): Coercion | undefined {
  if (coercion?.properties && Object.hasOwn(coercion.properties, key)) return coercion.properties[key];
  return coercion?.additional;
}
