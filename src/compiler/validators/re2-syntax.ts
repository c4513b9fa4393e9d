/**
 * @module
 * An ECMAScript pattern rewritten in RE2's syntax with the same meaning, for
 * the linear-time engine (src/runtime/formats/linear-reg-exp.ts). Where the
 * two differ, ECMAScript's meaning is spelled out: `.` stops at four line
 * terminators, not one; `\s` is ECMAScript's twenty-five spaces, not RE2's five.
 * RE2 has no lookaround and no backreferences: those are refused.
 */
import { RegExpParser, type AST } from "@eslint-community/regexpp";

/** A pattern RE2 cannot express, and why. */
export class NotLinear extends Error {}

const MAX_CODE_POINT = 0x10ffff;
/** ECMAScript's WhiteSpace and LineTerminator code points, as ranges. */
const SPACES: Array<[number, number]> = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const LINE_TERMINATORS: Array<[number, number]> = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];

const char = (code: number) => (/^[A-Za-z0-9]$/.test(String.fromCodePoint(code)) ? String.fromCodePoint(code) : `\\x{${code.toString(16)}}`);
const ranges = (list: Array<[number, number]>) => list.map(([from, to]) => (from === to ? char(from) : `${char(from)}-${char(to)}`)).join("");

function complement(list: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [from, to] of list) {
    if (from > next) out.push([next, from - 1]);
    next = to + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/** Binary properties RE2 lacks, as ranges. */
const PROPERTY_RANGES: Record<string, Array<[number, number]>> = { Any: [[0, MAX_CODE_POINT]], ASCII: [[0, 0x7f]] };

/** A `\p{...}` in RE2's terms: ranges, or a General_Category short name (L, Lu) or a script (Greek) that RE2 knows. */
function property(set: AST.UnicodePropertyCharacterSet): { ranges: Array<[number, number]> } | { name: string } {
  const own = set.value === null ? PROPERTY_RANGES[set.key] : undefined;
  if (own) return { ranges: set.negate ? complement(own) : own };
  const category = set.key === "General_Category" || set.key === "gc";
  const name = category || set.key === "Script" || set.key === "sc" ? (set.value ?? "") : "";
  if (name === "" || (category && name.length > 2)) {
    throw new NotLinear(`${set.raw} has no RE2 equivalent here: write a category by its short name (\\p{L}, \\p{Lu}) or a script by its full name.`);
  }
  return { name: `\\${set.negate ? "P" : "p"}{${name}}` };
}

/** A class member: inside `[...]`, with the brackets of a set it stands for left off. */
function member(element: AST.CharacterClassElement): string {
  switch (element.type) {
    case "Character":
      return char(element.value);
    case "CharacterClassRange":
      return `${char(element.min.value)}-${char(element.max.value)}`;
    case "CharacterSet":
      if (element.kind === "space") return ranges(element.negate ? complement(SPACES) : SPACES);
      if (element.kind === "property") {
        const written = property(element);
        return "name" in written ? written.name : ranges(written.ranges);
      }
      return element.raw;
    default:
      throw new NotLinear(`${element.raw} is only in the v flag's syntax.`);
  }
}

function atom(node: AST.Element | AST.Alternative | AST.Pattern): string {
  switch (node.type) {
    case "Pattern":
      return node.alternatives.map(atom).join("|");
    case "Alternative":
      return node.elements.map(atom).join("");
    case "Group":
    case "CapturingGroup":
      if (node.type === "Group" && node.modifiers) throw new NotLinear(`${node.raw}: modifiers are not read by RE2 here.`);
      // Captures mean nothing to a test: only whether it matches.
      return `(?:${node.alternatives.map(atom).join("|")})`;
    case "Quantifier": {
      const { min, max } = node;
      const count =
        max === Infinity ? (min === 0 ? "*" : min === 1 ? "+" : `{${min},}`) : min === 0 && max === 1 ? "?" : min === max ? `{${min}}` : `{${min},${max}}`;
      // Every element a quantifier takes is written as one unit: a character, a class or a group.
      return `${atom(node.element)}${count}${node.greedy ? "" : "?"}`;
    }
    case "Character":
      return char(node.value);
    case "CharacterClass":
      if (node.elements.length === 0) return node.negate ? "[\\x{0}-\\x{10ffff}]" : "[^\\x{0}-\\x{10ffff}]";
      return `[${node.negate ? "^" : ""}${node.elements.map(member).join("")}]`;
    case "CharacterSet":
      if (node.kind === "any") return `[^${ranges(LINE_TERMINATORS)}]`;
      return node.kind === "space" || node.kind === "property" ? `[${member(node)}]` : node.raw;
    case "Assertion":
      if (node.kind === "start") return "^";
      if (node.kind === "end") return "$";
      if (node.kind === "word") return node.raw;
      throw new NotLinear(`${node.raw}: RE2 has no lookahead or lookbehind.`);
    case "Backreference":
      throw new NotLinear(`${node.raw}: RE2 has no backreferences.`);
    default:
      throw new NotLinear(`${node.raw} is only in the v flag's syntax.`);
  }
}

/** The pattern in RE2's syntax, read as the validators read it (with "u", or without where only that parses); throws NotLinear. */
export function re2Syntax(pattern: string, flags: string): string {
  const parser = new RegExpParser({ ecmaVersion: 2025 });
  return atom(parser.parsePattern(pattern, 0, pattern.length, { unicode: flags.includes("u") }));
}
