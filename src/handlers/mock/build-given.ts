/**
 * @module
 * What a schema says of its value by itself: the example, const, enum or
 * default to use, and the type its keywords imply when it names none.
 */
import type { Flat } from "./build-flatten.ts";
import { fitsFormat } from "./build-strings.ts";
import type { State } from "./build-state.ts";

/** The value of a flat schema's example, const, enum or default, when it has one to use here. */
export function given(flat: Flat, state: State, path: string, variant: number): { value: unknown } | undefined {
  const tries = state.refused.get(path) ?? 0;
  if (flat.const !== undefined) return { value: structuredClone(flat.const) };
  if (Array.isArray(flat.enum) && flat.enum.length > 0) {
    const values = flat.enum.filter((value: unknown) => value !== null);
    const from = values.length > 0 ? values : flat.enum;
    return { value: structuredClone(from[(variant + tries) % from.length]) };
  }
  // The document's own examples read best; one the check refused is not used there again.
  if (state.unexampled.has(path)) return undefined;
  const examples = Array.isArray(flat.examples) && flat.examples.length > 0 ? [flat.examples[0]] : flat.example !== undefined ? [flat.example] : [];
  for (const value of [...examples, ...(flat.default !== undefined ? [flat.default] : [])]) {
    if (variant === 0 && fitsFormat(value, flat.format)) return { value: structuredClone(value) };
  }
  return undefined;
}

export function inferType(flat: Flat): string | undefined {
  if (flat.properties || flat.additionalProperties !== undefined || flat.required || flat.patternProperties || flat.minProperties !== undefined)
    return "object";
  if (flat.items !== undefined || flat.prefixItems || flat.minItems !== undefined || flat.maxItems !== undefined) return "array";
  if (flat.pattern !== undefined || flat.minLength !== undefined || flat.maxLength !== undefined || typeof flat.format === "string") return "string";
  if (["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"].some((key) => typeof flat[key] === "number")) return "number";
  return undefined;
}
