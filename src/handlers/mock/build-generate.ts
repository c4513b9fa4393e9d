/**
 * @module
 * A value generated from a schema, for a mock answer that no example gives:
 * formats, patterns, enums, bounds, `const`, discriminators, readOnly and
 * writeOnly honoured, and checked with the validator the gateway would use.
 * Where the check finds fault, the places it names are generated otherwise
 * (another branch, another enum value, no schema example, the property left
 * out) and the value is checked again. Deterministic: no clock, no
 * Math.random, the pattern generator seeded by where the value stands.
 */
import { type Flat, flatten, type Json } from "./build-flatten.ts";
import { generateString, hashOf } from "./build-strings.ts";
import { branchOrder, tagOf, withBranch } from "./build-choices.ts";
import { given, inferType } from "./build-given.ts";
import { generateNumber } from "./build-numbers.ts";
import { escape, type Fault, type GenerateInput, isObject, NOTHING, type Out, type State } from "./build-state.ts";

/** Objects deeper than this get their required properties only; arrays, their minItems. */
const FULL_DEPTH = 2;
/** Beyond this a value is cut: null where nothing smaller is allowed. */
const MAX_DEPTH = 24;
const ROUNDS = 12;

function generateObject(flat: Flat, state: State, path: string, depth: number, minimal: boolean, refs: string[]): Json {
  const { direction, deref } = state.input;
  const out: Json = {};
  const required = new Set<string>(Array.isArray(flat.required) ? flat.required : []);
  const hidden = direction === "response" ? "writeOnly" : "readOnly";
  const properties: Json = isObject(flat.properties) ? flat.properties : {};
  for (const [name, schema] of Object.entries(properties)) {
    const at = `${path}/${escape(name)}`;
    if (state.leftOut.has(at)) continue;
    const wanted = required.has(name) || state.putIn.has(at);
    if (!wanted && minimal) continue;
    const property = flatten(schema, deref);
    if (property[hidden] === true && !state.putIn.has(at)) continue;
    const value = generateFlat(property, state, at, depth + 1, 0, refs, !wanted);
    if (value !== NOTHING) out[name] = value;
  }
  const extra = flat.additionalProperties;
  const extraSchema = isObject(extra) ? extra : isObject(flat.patternProperties) ? Object.values(flat.patternProperties)[0] : undefined;
  for (const name of required) {
    const at = `${path}/${escape(name)}`;
    if (name in out || name in properties) continue;
    const value = extraSchema === undefined ? "string" : generateFlat(flatten(extraSchema, deref), state, at, depth + 1, 0, refs);
    if (value !== NOTHING) out[name] = value;
  }
  // A map (no properties of its own) shows one entry, and as many as minProperties asks.
  const wantEntries = Math.max(
    typeof flat.minProperties === "number" ? flat.minProperties : 0,
    Object.keys(properties).length === 0 && extraSchema && !minimal ? 1 : 0,
  );
  for (let i = 1; Object.keys(out).length < wantEntries && i <= wantEntries + 8; i++) {
    const name = `key${i}`;
    const at = `${path}/${escape(name)}`;
    if (name in out || state.leftOut.has(at)) continue;
    const value = extraSchema === undefined ? "string" : generateFlat(flatten(extraSchema, deref), state, at, depth + 1, i - 1, refs);
    if (value !== NOTHING) out[name] = value;
  }
  if (typeof flat.maxProperties === "number") {
    for (const name of Object.keys(out).reverse()) if (Object.keys(out).length > flat.maxProperties && !required.has(name)) delete out[name];
  }
  return out;
}

function generateArray(flat: Flat, state: State, path: string, depth: number, minimal: boolean, refs: string[]): unknown[] {
  const { deref } = state.input;
  const prefix: unknown[] = Array.isArray(flat.prefixItems) ? flat.prefixItems : [];
  const min = typeof flat.minItems === "number" ? flat.minItems : 0;
  const max = typeof flat.maxItems === "number" ? flat.maxItems : Infinity;
  const itemsAllowed = flat.items !== false;
  let count = Math.max(min, minimal ? 0 : 1, minimal ? 0 : prefix.length);
  if (!itemsAllowed) count = Math.min(count, prefix.length);
  count = Math.min(count, max);
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const schema = i < prefix.length ? prefix[i] : flat.items === undefined ? {} : flat.items;
    const item = flatten(schema, deref);
    for (let variant = i; variant < i + 8; variant++) {
      // An item that leads back into a schema being generated is left out where the array may be shorter.
      const value = generateFlat(item, state, `${path}/${i}`, depth + 1, variant, refs, i >= min);
      if (value === NOTHING) break;
      const key = JSON.stringify(value);
      if (flat.uniqueItems && seen.has(key) && variant < i + 7) continue;
      seen.add(key);
      out.push(value);
      break;
    }
  }
  return out;
}

/** `optional`: the value may be left out (NOTHING), as it is where it would lead back into a schema being generated. */
function generateFlat(flat: Flat, state: State, path: string, depth: number, variant: number, outer: string[], optional = false): Out {
  const { deref } = state.input;
  // Choices are made one by one: a chosen branch may bring choices of its own.
  const recursive = flat.refs.some((ref) => outer.includes(ref));
  const minimal = recursive || depth > (state.input.fullDepth ?? FULL_DEPTH);
  let tag: { property: string; value: string } | undefined;
  for (let round = 0; flat.choices.length > 0 && round < 16; round++) {
    const choice = flat.choices[0];
    // The first branch in order that can meet the rest of the schema (an enum beside a oneOf of consts, for one).
    let chosen = 0;
    for (const index of branchOrder(choice, state, path, minimal, deref)) {
      chosen = index;
      if (!withBranch(flat, index, deref).impossible) break;
    }
    tag ??= tagOf(choice, choice.branches[chosen]);
    flat = withBranch(flat, chosen, deref);
  }
  if (optional && flat.refs.some((ref) => outer.includes(ref))) return NOTHING;
  if (depth > MAX_DEPTH) return null;
  const refs = [...outer, ...flat.refs];
  const known = given(flat, state, path, variant);
  if (known) return known.value;
  const types: string[] = Array.isArray(flat.type) ? flat.type : typeof flat.type === "string" ? [flat.type] : [];
  const inferred = inferType(flat);
  const candidates = types.length > 0 ? types : inferred ? [inferred] : [];
  const tries = state.refused.get(path) ?? 0;
  const preferred =
    minimal && candidates.includes("null")
      ? "null"
      : (candidates.filter((t) => t !== "null")[tries % Math.max(1, candidates.filter((t) => t !== "null").length)] ?? candidates[0]);
  switch (preferred) {
    case "null":
      return null;
    case "boolean":
      return variant % 2 === 0;
    case "integer":
      return generateNumber(flat, true, variant);
    case "number":
      return generateNumber(flat, false, variant);
    case "string":
      return generateString(flat, variant, hashOf(`${state.input.seed}${path}`) + tries);
    case "array":
      return generateArray(flat, state, path, depth, minimal, refs);
    case "object":
    case undefined: {
      if (preferred === undefined && !flat.properties && flat.choices.length === 0 && !tag) return {};
      const object = generateObject(flat, state, path, depth, minimal, refs);
      const at = tag ? `${path}/${escape(tag.property)}` : "";
      if (tag && !state.refused.has(at)) object[tag.property] = tag.value;
      return object;
    }
    default:
      return {};
  }
}

/** Generates a value for the schema and checks it, making again what the check refuses; the best found, with its faults. */
export function generateValue(input: GenerateInput): { value: unknown; faults: Fault[] } {
  const state: State = { input, refused: new Map(), leftOut: new Set(), putIn: new Set(), unexampled: new Set() };
  let best: { value: unknown; faults: Fault[] } | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const generated = generateFlat(flatten(input.schema, input.deref), state, "", 0, 0, []);
    const value = generated === NOTHING ? null : generated;
    const faults = input.check(value);
    if (!best || faults.length < best.faults.length) best = { value, faults };
    if (faults.length === 0) break;
    for (const fault of faults) {
      const { instancePath, keyword, params } = fault;
      if (keyword === "additionalProperties" || keyword === "unevaluatedProperties") {
        state.leftOut.add(`${instancePath}/${escape(String(params.additionalProperty ?? params.unevaluatedProperty))}`);
      } else if (keyword === "required" || keyword === "dependentRequired") {
        state.putIn.add(`${instancePath}/${escape(String(params.missingProperty))}`);
      }
      state.refused.set(instancePath, (state.refused.get(instancePath) ?? 0) + 1);
      for (let at = instancePath; ; at = at.slice(0, at.lastIndexOf("/"))) {
        state.unexampled.add(at);
        if (at === "") break;
      }
    }
  }
  return best!;
}
