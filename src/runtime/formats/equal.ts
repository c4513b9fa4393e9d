/**
 * @module
 * Deep equality of JSON values, for enum, const and uniqueItems. Ajv's own
 * (fast-deep-equal) calls a value's `toString` and `valueOf`, which a JSON
 * body may well hold as plain keys: `{"toString": ""}` would throw.
 */

export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((item, i) => equal(item, (b as unknown[])[i]));
  const keys = Object.keys(a);
  const other = b as Record<string, unknown>;
  // Own keys only: "__proto__" or "constructor" in a body are data, never the prototype's.
  return (
    keys.length === Object.keys(other).length &&
    keys.every((key) => Object.prototype.hasOwnProperty.call(other, key) && equal((a as Record<string, unknown>)[key], other[key]))
  );
}
