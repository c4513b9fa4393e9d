/**
 * @module
 * How a schema's `pattern` (and patternProperties) becomes a RegExp, the
 * same at build time, when Ajv checks that it compiles, and in the Worker.
 */

/**
 * Patterns are ECMAScript regular expressions read with the "u" flag (so `.`
 * and `\p{L}` mean Unicode characters); one that is only valid without it
 * (`\-` or `\_` outside a class, which documents use) is read without it
 * rather than failing the build.
 */
export function regExp(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return new RegExp(pattern, flags.replace("u", ""));
  }
}
