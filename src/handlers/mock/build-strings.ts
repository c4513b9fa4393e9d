/**
 * @module
 * Generated strings that a client can decode: a value of the schema's format
 * (a date-time, a uuid, "12.50" for a decimal), else one matching its
 * pattern (randexp, driven by a seeded generator so that a build always
 * writes the same answers), cut or padded to minLength / maxLength.
 */
import RandExp from "randexp";
import { formatSample } from "../../runtime/formats/samples.ts";
import { nativeRegExp } from "../../runtime/formats/reg-exp.ts";

/** A small deterministic generator (mulberry32): the same seed gives the same sequence. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash of a text (FNV-1a), to seed by where a value stands. */
export function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Formats whose text is a number: an example there that is not one breaks SDKs, though no validator checks it. */
const NUMERIC_TEXT = new Set(["decimal", "int32", "int64", "float", "double", "number", "integer", "unix-time", "timestamp"]);

/** Whether a schema example fits the shape its format promises, beyond what the validator checks. */
export function fitsFormat(value: unknown, format: unknown): boolean {
  if (typeof value !== "string" || typeof format !== "string" || !NUMERIC_TEXT.has(format)) return true;
  return /^-?\d+(\.\d+)?$/.test(value);
}

function matcher(pattern: string): RegExp | undefined {
  try {
    return nativeRegExp(pattern, "u");
  } catch {
    return undefined;
  }
}

/** A string matching `pattern` within the lengths, tried with a few seeds; undefined when none fits. */
function fromPattern(pattern: string, seed: number, fits: (text: string) => boolean): string | undefined {
  const test = matcher(pattern);
  if (!test) return undefined;
  let source: RandExp;
  try {
    source = new RandExp(pattern);
  } catch {
    return undefined;
  }
  // Short repetitions: `+` and `*` stop after a few characters, not randexp's hundred.
  source.max = 8;
  const random = seeded(seed);
  source.randInt = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));
  for (let attempt = 0; attempt < 12; attempt++) {
    let text: string;
    try {
      text = source.gen();
    } catch {
      return undefined;
    }
    if (test.test(text) && fits(text)) return text;
  }
  return undefined;
}

export interface StringSchema {
  format?: unknown;
  pattern?: unknown;
  /** More patterns, met at once (allOf members that each had one). */
  patterns?: unknown[];
  minLength?: unknown;
  maxLength?: unknown;
  contentEncoding?: unknown;
}

/** A string for the schema; `variant` makes distinct ones, `seed` picks the pattern's. */
export function generateString(schema: StringSchema, variant: number, seed: number): string {
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
  const fits = (text: string) => [...text].length >= min && [...text].length <= max;
  const patterns = [schema.pattern, ...(schema.patterns ?? [])].filter((p): p is string => typeof p === "string");
  const matchesAll = (text: string) => patterns.every((pattern) => matcher(pattern)?.test(text) ?? true);
  const format = typeof schema.format === "string" ? schema.format : schema.contentEncoding === "base64" ? "byte" : undefined;
  const sample = format === undefined ? undefined : formatSample(format, variant);
  if (sample !== undefined && matchesAll(sample) && fits(sample)) return sample;
  if (patterns.length > 0) {
    const text = fromPattern(patterns[0], seed + variant, (candidate) => fits(candidate) && matchesAll(candidate));
    if (text !== undefined) return text;
  }
  if (sample !== undefined) return sample;
  let text = variant === 0 ? "string" : `string${variant}`;
  if ([...text].length < min) text = text + "x".repeat(min - [...text].length);
  if ([...text].length > max) text = [...text].slice(0, max).join("");
  return text;
}
