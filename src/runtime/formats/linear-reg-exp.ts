/**
 * @module
 * Patterns the build found a client could make slow (nested or overlapping
 * repetition) run on RE2 (re2js): its time grows linearly with the input,
 * and it needs no code generation. The build translates each into RE2's
 * syntax with the meaning ECMAScript gives it. Only validators that hold such
 * a pattern import this module, so no other gateway bundles the engine.
 */
import { RE2JS } from "re2js";
import { checkPatternInput, type PatternTest } from "./reg-exp.ts";

/** `source` is in RE2's syntax, as the build wrote it. */
export function linearRegExp(source: string): PatternTest {
  const compiled = RE2JS.compile(source);
  return {
    test(text) {
      checkPatternInput(text);
      return compiled.test(text);
    },
    toString: () => `re2:${source}`,
  };
}
