/**
 * ECMAScript patterns rewritten for RE2 must accept and refuse exactly what
 * ECMAScript does: checked on random strings from an alphabet that holds each
 * place the two syntaxes differ (line terminators, Unicode spaces, astral
 * characters).
 */
import fc from "fast-check";
import { RE2JS } from "re2js";
import { describe, expect, it } from "vitest";
import { NotLinear, re2Syntax } from "./re2-syntax.ts";

const PATTERNS = [
  "^(a+)+$",
  "^(a|a)*$",
  "^.$",
  "^..?$",
  "^\\s+$",
  "^\\S*$",
  "^[\\s\\d]+$",
  "^[^\\S]$",
  "^[\\S]+$",
  "^\\p{L}+$",
  "^[\\p{Lu}\\d]+$",
  "^\\P{L}$",
  "^\\p{Script=Greek}+$",
  "^\\p{ASCII}*$",
  "^[\\P{ASCII}]$",
  "a{2,5}?b",
  "^[]$",
  "^[^]$",
  "\\bab\\b",
  "\\Ba",
  "^\\u{1F600}$",
  "^\\x61\\u0062$",
  "[\\-_.]",
  "^(?<word>ab)+$",
  "^\\/a$",
  "^\\w+@\\w+\\.b$",
  "^\\$\\^\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|$",
  "^(\\w+\\s?)*$",
  "a|b|",
  "^(?:a|ab)(?:c|bcd)$",
];
const ALPHABET = ["a", "b", "A", "0", "_", "-", ".", "@", " ", "\t", "\n", "\r", "\u2028", "\u00a0", "\u000b", "\ufeff", "\u0085", "Ω", "😀", "/", "$"];

describe("re2Syntax", () => {
  it("means what ECMAScript means, on random strings", () => {
    const compiled = PATTERNS.map((pattern) => ({ pattern, js: new RegExp(pattern, "u"), re2: RE2JS.compile(re2Syntax(pattern, "u")) }));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 8 }), (letters) => {
        const text = letters.join("");
        for (const { pattern, js, re2 } of compiled) expect(re2.test(text), `${pattern} on ${JSON.stringify(text)}`).toBe(js.test(text));
      }),
      { numRuns: 2000, seed: 20_240_601 },
    );
  });

  it("reads a pattern without the u flag as ECMAScript does there", () => {
    // \u{41} without "u" is the letter u, 41 times: not "A".
    const re2 = RE2JS.compile(re2Syntax("^\\u{2}$", ""));
    expect([re2.test("uu"), re2.test("\u0002")]).toEqual([true, false]);
    expect(RE2JS.compile(re2Syntax("^\\-_$", "")).test("-_")).toBe(true);
  });

  it("refuses what RE2 cannot run, saying why", () => {
    expect(() => re2Syntax("^(?=a)a+$", "u")).toThrow(NotLinear);
    expect(() => re2Syntax("^(?<!a)b$", "u")).toThrow(/no lookahead or lookbehind/);
    expect(() => re2Syntax("^(a)\\1$", "u")).toThrow(/no backreferences/);
    expect(() => re2Syntax("^\\p{Letter}$", "u")).toThrow(/short name/);
  });
});
