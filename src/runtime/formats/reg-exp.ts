/**
 * @module
 * How a schema's `pattern` (and patternProperties) becomes something that
 * tests strings, the same at build time, when Ajv checks that it compiles,
 * and in the Worker; and the length bound every test checks first.
 */

/** What the generated validators call a pattern's `test` on: a RegExp, or the linear-time engine's stand-in. */
export interface PatternTest {
  test(text: string): boolean;
  /** Ajv tells patterns apart by this text. */
  toString(): string;
}

/**
 * The longest string a pattern is matched against, while a validator runs
 * (see `withPatternInputBound`). Outside one, as at build time, there is none:
 * the document's own examples are not a client's input.
 */
let bound = Number.POSITIVE_INFINITY;

/** Thrown in place of matching a string longer than the bound in force: the caller refuses the value. */
export class PatternInputTooLong extends Error {
  readonly text: string;
  readonly bound: number;

  constructor(text: string, bound: number) {
    super(`A string of ${text.length} characters is longer than the ${bound} a pattern is matched against.`);
    this.text = text;
    this.bound = bound;
  }
}

/** Runs `check` (a validator: synchronous) with strings longer than `max` refused before any pattern sees them. */
export function withPatternInputBound<T>(max: number, check: () => T): T {
  const before = bound;
  bound = max;
  try {
    return check();
  } finally {
    bound = before;
  }
}

/** Throws PatternInputTooLong for a string over the bound in force. */
export function checkPatternInput(text: string): void {
  if (text.length > bound) throw new PatternInputTooLong(text, bound);
}

/**
 * Patterns are ECMAScript regular expressions read with the "u" flag (so `.`
 * and `\p{L}` mean Unicode characters); one that is only valid without it
 * (`\-` or `\_` outside a class, which documents use) is read without it
 * rather than failing the build.
 */
export function nativeRegExp(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return new RegExp(pattern, flags.replace("u", ""));
  }
}

/** A pattern the build judged safe to run on the backtracking engine, behind the length bound. */
export function regExp(pattern: string, flags: string): PatternTest {
  const native = nativeRegExp(pattern, flags);
  return {
    test(text) {
      checkPatternInput(text);
      return native.test(text);
    },
    toString: () => String(native),
  };
}
